using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.OnlineServing;
using Granary.Push;
using Granary.Tests.Streaming;

namespace Granary.Tests.Quality.Validation;

/// <summary>
/// Rules on a stream view's event columns, applied to the events pushed to it: an event failing an error rule is not
/// aggregated (the push refused whole, or with allow_partial the event dropped), a warn rule only counts.
/// </summary>
public sealed class RulesAtStreamIngestTests
{
    private static string Streams(string severity) => $$"""
        sources:
          - {name: txn_log, type: file, path: data/transactions.parquet, timestamp_field: event_timestamp}
          - {name: transactions_push, type: push, batch_source: txn_log}
        stream_feature_views:
          - name: user_spend
            entities: [user]
            source: transactions_push
            hop: 1m
            allowed_lateness: 1d
            ttl: 0
            schema:
              - name: amount
                dtype: float64
                validation: [{rule: range, min: 0, severity: {{severity}}}]
            aggregations:
              - {column: amount, function: sum, windows: [1h, lifetime]}
              - {function: count, windows: [lifetime]}
              - {column: merchant_id, function: last_k, k: 5, windows: [1d]}
        """;

    private static Dictionary<string, IReadOnlyList<object?>> Events(params (long User, double Amount)[] events) => new()
    {
        ["user_id"] = events.Select(e => (object?)e.User).ToList(),
        ["event_timestamp"] = events.Select(_ => (object?)"2026-11-05T00:00:00Z").ToList(),
        ["amount"] = events.Select(e => (object?)e.Amount).ToList(),
        ["merchant_id"] = events.Select(_ => (object?)42L).ToList(),
    };

    private static async Task<(long Count, double Sum)> AggregatesAsync(FeatureStore store, long user)
    {
        var response = await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [user] },
            Features = ["user_spend:count_lifetime", "user_spend:sum_amount_lifetime"],
        });
        var count = response["count_lifetime"].Values[0];
        var sum = response["sum_amount_lifetime"].Values[0];
        return (count.IsNull ? 0 : count.AsInt64(), sum.IsNull ? 0 : sum.AsFloat64());
    }

    [Fact]
    public async Task An_event_failing_an_error_rule_is_not_aggregated()
    {
        using var repo = await StreamDefinitionRepository.CreateAsync(streams: Streams("error"));
        await using var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();

        var refused = await Assert.ThrowsAsync<GranaryException>(() => store.PushAsync(new PushRequest { PushSourceName = "transactions_push", Columns = Events((1, 5), (1, -100)) }));
        var partial = await store.PushAsync(new PushRequest { PushSourceName = "transactions_push", Columns = Events((1, 5), (1, -100), (1, 7)), AllowPartial = true });

        Assert.Equal(ErrorCodes.Unprocessable, refused.Code);
        Assert.Contains("feature view 'user_spend', feature 'amount', rule 'range'", refused.Message, StringComparison.Ordinal);
        Assert.Equal((2, 1), (partial.Rows, partial.RejectedRows));
        Assert.Equal((2L, 12.0), await AggregatesAsync(store, 1));
    }

    [Fact]
    public async Task An_event_failing_a_warn_rule_is_aggregated_and_counted()
    {
        using var repo = await StreamDefinitionRepository.CreateAsync(streams: Streams("warn"));
        await using var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();

        var result = await store.PushAsync(new PushRequest { PushSourceName = "transactions_push", Columns = Events((1, 5), (1, -1)) });

        Assert.Equal(1, Assert.Single(result.Validation).Failed);
        Assert.Equal((2L, 4.0), await AggregatesAsync(store, 1));
    }
}

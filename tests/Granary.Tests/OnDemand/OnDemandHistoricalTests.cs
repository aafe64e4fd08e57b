using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Historical;
using Granary.Offline.Files;
using Granary.Offline.Retrieval;
using Granary.OnlineServing;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.OnDemand;

/// <summary>
/// On-demand features in training data (DuckDB): computed from the entity table's columns and the point-in-time join,
/// equal to what online serving (embedded store) computes from the same inputs, nulls included.
/// </summary>
public sealed class OnDemandHistoricalTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    // Nulls in both kinds of input: a source row missing orders or spend, one past the view's 2d ttl, a user with no
    // row, and entity rows missing amount or hour.
    private const string UserStats = """
        user_id,event_timestamp,created,orders_7d,spend_7d
        1,2026-11-01T00:00:00Z,2026-11-01T00:05:00Z,3,120.5
        2,2026-11-01T00:00:00Z,2026-11-01T00:05:00Z,0,0.0
        3,2026-11-01T00:00:00Z,2026-11-01T00:05:00Z,,2.5
        4,2026-11-01T00:00:00Z,2026-11-01T00:05:00Z,7,
        5,2026-10-20T00:00:00Z,2026-10-20T00:05:00Z,9,4.0
        """;

    private static readonly (long User, double? Amount, int? Hour)[] Rows =
    [
        (1, 10.0, 3), (2, 5.0, null), (3, null, 4), (4, -7.5, 23), (5, 1.0, 1), (6, 2.0, 2), (1, null, null), (4, 3.0, 5),
    ];

    private static readonly string[] Features =
        ["order_context:amount_over_spend", "user_stats:orders_7d", "order_context:busy_night", "order_context:custom_score"];

    private static TempRepository Repository()
    {
        var entities = "user_id,event_timestamp,amount,hour\n" + string.Concat(Rows.Select(r =>
            FormattableString.Invariant($"{r.User},2026-11-02T00:00:00Z,{r.Amount},{r.Hour}\n")));
        return OnDemandRepository.Create().Write("data/user_stats.csv", UserStats).Write("entities.csv", entities);
    }

    private static async Task<List<object?[]>> ReadAllAsync(HistoricalFeatures result, List<string> names)
    {
        await using var rows = await result.ReadAsync();
        for (var i = 0; i < rows.Reader.FieldCount; i++)
        {
            names.Add(rows.Reader.GetName(i));
        }

        var list = new List<object?[]>();
        while (await rows.Reader.ReadAsync())
        {
            var values = new object?[rows.Reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = rows.Reader.IsDBNull(i) ? null : rows.Reader.GetValue(i);
            }

            list.Add(values);
        }

        return list;
    }

    private static HistoricalFeaturesRequest Request(TempRepository repo, params string[] features) => new()
    {
        Entities = EntityTable.FromFile(Path.Combine(repo.Root, "entities.csv")),
        Features = features,
    };

    [Fact]
    public async Task Training_data_computes_the_values_online_serving_computes_from_the_same_inputs_nulls_included()
    {
        using var repo = Repository();
        await using var store = OnDemandRepository.Open(repo, Now);
        await store.ApplyAsync();
        await store.MaterializeAsync(DateTimeOffset.UnixEpoch, Now, ["user_stats"]);

        var names = new List<string>();
        var offline = await ReadAllAsync(await store.GetHistoricalFeaturesAsync(Request(repo, Features)), names);
        var online = await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Features = Features,
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = Rows.Select(r => (object?)r.User).ToList() },
            RequestContext = new Dictionary<string, IReadOnlyList<object?>>
            {
                ["amount"] = Rows.Select(r => (object?)r.Amount).ToList(),
                ["hour"] = Rows.Select(r => (object?)(long?)r.Hour).ToList(),
            },
        });

        // The entity table's columns, then the requested features by view; spend_7d was joined for them, not asked for.
        Assert.Equal(["user_id", "event_timestamp", "amount", "hour", "amount_over_spend", "busy_night", "custom_score", "orders_7d"], names);
        Assert.Equal(Rows.Length, offline.Count);
        var computed = 0;
        var nulls = 0;
        for (var r = 0; r < Rows.Length; r++)
        {
            foreach (var feature in new[] { "amount_over_spend", "busy_night", "custom_score", "orders_7d" })
            {
                var expected = online[feature].Values[r].ToObject();
                Assert.True(Equals(expected, offline[r][names.IndexOf(feature)]), $"row {r} {feature}: online {expected ?? "null"}, offline {offline[r][names.IndexOf(feature)] ?? "null"}");
                (expected is null ? ref nulls : ref computed)++;
            }
        }

        // Neither side may agree by computing nothing.
        Assert.True(computed >= 12 && nulls >= 8, $"{computed} values and {nulls} nulls");
        Assert.Equal(10.0 / 120.5, (double)offline[0][names.IndexOf("amount_over_spend")]!);
    }

    [Fact]
    public async Task Written_training_data_holds_the_rows_read_and_its_dataset_records_the_on_demand_features()
    {
        using var repo = Repository();
        await using var store = OnDemandRepository.Open(repo, Now);
        await store.ApplyAsync();
        var result = await store.GetHistoricalFeaturesAsync(Request(repo, Features));
        var names = new List<string>();
        var read = await ReadAllAsync(result, names);

        var path = Path.Combine(repo.Root, "out", "train.parquet");
        var count = await result.WriteAsync(path);
        var dataset = await store.SaveDatasetAsync("fraud_training", result, path, count);

        Assert.Equal(Rows.Length, count);
        Assert.Contains("order_context:custom_score", dataset.Features);
        await using var written = await DataFiles.Default.PreviewAsync(path, FileFormat.Parquet, 100);
        var writtenNames = Enumerable.Range(0, written.Reader.FieldCount).Select(written.Reader.GetName).ToList();
        Assert.Equal(names, writtenNames);
        var r = 0;
        while (await written.Reader.ReadAsync())
        {
            foreach (var feature in new[] { "amount_over_spend", "busy_night", "custom_score", "orders_7d" })
            {
                var i = names.IndexOf(feature);
                Assert.Equal(read[r][i], written.Reader.IsDBNull(i) ? null : written.Reader.GetValue(i));
            }

            r++;
        }

        Assert.Equal(Rows.Length, r);
    }

    [Fact]
    public async Task An_entity_table_without_a_request_field_a_feature_reads_is_refused_naming_it()
    {
        using var repo = OnDemandRepository.Create().Write("entities.csv", "user_id,event_timestamp,amount\n1,2026-11-02T00:00:00Z,10.0\n");
        await using var store = OnDemandRepository.Open(repo, Now);
        await store.ApplyAsync();

        // amount_over_spend reads amount only, so the table serves it; busy_night also reads hour.
        var served = await store.GetHistoricalFeaturesAsync(Request(repo, "order_context:amount_over_spend"));
        await using (var rows = await served.ReadAsync())
        {
            Assert.True(await rows.Reader.ReadAsync());
        }

        var result = await store.GetHistoricalFeaturesAsync(Request(repo, "order_context:busy_night"));
        var e = await Assert.ThrowsAsync<GranaryException>(() => result.ReadAsync());
        Assert.Equal(ErrorCodes.InvalidArgument, e.Code);
        Assert.Contains("The entity table has no column 'hour' (int32)", e.Message, StringComparison.Ordinal);
        Assert.Contains("'order_context:busy_night'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_function_that_is_not_registered_is_refused_when_asked_for()
    {
        using var repo = Repository();
        await using var store = OnDemandRepository.Open(repo, Now, withFunction: false);
        await store.ApplyAsync();

        var e = await Assert.ThrowsAsync<GranaryException>(() => store.GetHistoricalFeaturesAsync(Request(repo, "order_context:custom_score")));

        Assert.Equal(ErrorCodes.Unprocessable, e.Code);
        Assert.Contains("'FraudScore'", e.Message, StringComparison.Ordinal);
    }
}

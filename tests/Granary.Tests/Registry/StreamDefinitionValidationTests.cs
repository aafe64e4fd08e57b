using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Tests.Infrastructure;
using Granary.Tests.Streaming;

namespace Granary.Tests.Registry;

/// <summary>
/// Every mistake in a stream feature view or stream source is reported by plan at the file and line where it was
/// written, all in one run, beside the issue's (valid) example.
/// </summary>
public sealed class StreamDefinitionValidationTests
{
    private const string File = "mistakes.yaml";

    private static async Task<DefinitionException> PlanFailsAsync(string mistakes, string? streams = null)
    {
        using var repo = await StreamDefinitionRepository.CreateAsync(streams: streams);
        repo.Write(File, mistakes);
        await using var store = FeatureStore.Open(repo.Root);
        return await Assert.ThrowsAsync<DefinitionException>(() => store.PlanAsync());
    }

    /// <summary>
    /// The one diagnostic containing <paramref name="messagePart"/>, checked to be on the line of <paramref name="written"/>
    /// in <see cref="File"/> (its first line at or after the one holding <paramref name="after"/>, when given).
    /// </summary>
    private static Diagnostic At(DefinitionException e, string messagePart, string text, string written, string? after = null)
    {
        var matches = e.Diagnostics.Where(d => d.Message.Contains(messagePart, StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"Expected one diagnostic containing '{messagePart}', got:\n{string.Join("\n", e.Diagnostics)}");
        var lines = text.Split('\n');
        var from = after is null ? 0 : Array.FindIndex(lines, l => l.Contains(after, StringComparison.Ordinal));
        Assert.True(from >= 0, $"'{after}' is not in the file");
        var line = Array.FindIndex(lines, from, l => l.Contains(written, StringComparison.Ordinal)) + 1;
        Assert.True(line > 0, $"'{written}' is not in the file");
        Assert.Equal((File, line), (matches[0].Location?.File, matches[0].Location?.Line));
        return matches[0];
    }

    [Fact]
    public async Task Aggregation_mistakes_are_each_reported_at_their_line()
    {
        const string mistakes = """
            stream_feature_views:
              - name: bad_aggregations
                entities: [user]
                source: transactions_push
                hop: 1m
                aggregations:
                  - {column: amount, function: summ, windows: [1h]}
                  - {column: amount_usd, function: sum, windows: [1h]}
                  - {column: amount, function: min, windows: [1h, 90s]}
                  - {column: amount, function: max, windows: [{window: 1h, hop: 2h}]}
                  - {column: method, function: mean, windows: [1d]}
                  - {column: amount, function: sum, k: 3, windows: [7d]}
                  - {column: amount, function: stddev, percentiles: [50], windows: [2d]}
                  - {column: merchant_id, function: last_k, windows: [3d]}
                  - {column: amount, function: variance, windows: [1h, 4h], name: spread}
            """;

        var e = await PlanFailsAsync(mistakes);

        var function = At(e, "Unknown aggregation function 'summ'", mistakes, "summ");
        Assert.Contains("the functions are count, sum, mean", function.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.InvalidDefinition, function.Code);
        var column = At(e, "column 'amount_usd'", mistakes, "amount_usd");
        Assert.Contains("batch source 'txn_log' has no column 'amount_usd'; it has user_id, event_timestamp, txn_id, amount,", column.Message, StringComparison.Ordinal);
        Assert.Contains("The window 1m30s is not a multiple of its hop 1m", At(e, "multiple of its hop", mistakes, "90s").Message, StringComparison.Ordinal);
        At(e, "The hop 2h is larger than its window 1h", mistakes, "hop: 2h");
        At(e, "mean needs a numeric column; 'method' is string", mistakes, "function: mean");
        At(e, "k is for last_k; sum has no k", mistakes, "k: 3");
        At(e, "percentiles are for approx_percentile; stddev has none", mistakes, "percentiles: [50]");
        At(e, "last_k needs k", mistakes, "function: last_k");
        At(e, "name 'spread' is for an aggregation with one window and one output", mistakes, "name: spread");
        Assert.Equal(9, e.Diagnostics.Count(d => d.Location?.File == File));
    }

    [Fact]
    public async Task View_level_mistakes_are_reported_at_their_line()
    {
        const string mistakes = """
            stream_feature_views:
              - name: bad_event_id
                entities: [user]
                source: transactions_push
                event_id_field: transaction_id
                hop: 1m
                aggregations:
                  - {function: count, windows: [1h]}
              - name: file_source
                entities: [user]
                source: txn_log
                hop: 1m
                aggregations:
                  - {function: count, windows: [1h]}
              - name: no_hop
                entities: [usr]
                source: transactions_stream
                aggregations:
                  - {function: count, windows: [2h]}
              - name: twice
                entities: [user]
                source: clicks_nats
                hop: 1m
                aggregations:
                  - {function: count, windows: [1h], name: clicks}
                  - {function: count, windows: [1d], name: clicks}
              - name: key_named
                entities: [user]
                source: transactions_push
                hop: 1m
                aggregations:
                  - {function: count, windows: [1h], name: user_id}
            feature_views:
              - name: plain_over_stream
                entities: [user]
                source: transactions_stream
                schema:
                  - {name: amount, dtype: float64}
            feature_services:
              - name: wrong_feature
                features: [user_spend:sum_amount_2h]
            """;

        var e = await PlanFailsAsync(mistakes);

        var eventId = At(e, "event_id_field 'transaction_id'", mistakes, "transaction_id");
        Assert.Contains("has no column 'transaction_id'", eventId.Message, StringComparison.Ordinal);
        At(e, "reads file source 'txn_log'; it needs a push, redis_stream or nats source", mistakes, "source: txn_log");
        var hop = At(e, "The window 2h has no hop", mistakes, "windows: [2h]");
        Assert.Contains("give the view a 'hop'", hop.Message, StringComparison.Ordinal);
        At(e, "entity 'usr'", mistakes, "[usr]");
        // The list of aggregations, where both are written.
        At(e, "Two aggregations produce the feature 'clicks'", mistakes, "windows: [1h], name: clicks");
        At(e, "would name a feature 'user_id', like one of its join keys", mistakes, "name: user_id");
        At(e, "stream sources feed stream_feature_views. Read its batch_source 'txn_log' instead", mistakes, "source: transactions_stream", after: "name: plain_over_stream");
        var feature = At(e, "feature 'sum_amount_2h'", mistakes, "sum_amount_2h");
        Assert.Contains("did you mean 'user_spend:sum_amount_1h'?", feature.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.UnknownReference, feature.Code);
    }

    [Fact]
    public async Task Source_mistakes_are_reported_at_their_line()
    {
        const string mistakes = """
            sources:
              - {name: no_batch, type: redis_stream, connection: "127.0.0.1:6379", stream: s, group: g, batch_source: txn_logs}
              - {name: pushed_batch, type: nats, url: "nats://127.0.0.1:4222", stream: S, subject: s.>, durable: d, batch_source: transactions_push}
              - {name: bad_time, type: redis_stream, connection: "127.0.0.1:6379", stream: s, group: g, batch_source: txn_log, timestamp_field: created_at}
              - {name: no_group, type: redis_stream, connection: "127.0.0.1:6379", stream: s, batch_source: txn_log}
              - {name: typo, type: nats, url: "nats://127.0.0.1:4222", stream: S, subjects: s.>, durable: d, batch_source: txn_log}
              - {name: unknown_type, type: kafka_stream, batch_source: txn_log}
            """;

        var e = await PlanFailsAsync(mistakes);

        var missing = At(e, "names batch_source 'txn_logs', which is not defined", mistakes, "name: no_batch");
        Assert.Contains("did you mean 'txn_log'", missing.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.UnknownReference, missing.Code);
        At(e, "The batch_source of nats source 'pushed_batch' must be a file or postgres source; 'transactions_push' is a push source", mistakes, "name: pushed_batch");
        At(e, "The timestamp_field 'created_at' of redis_stream source 'bad_time' is not a column of its batch_source 'txn_log'", mistakes, "created_at");
        At(e, "source 'no_group' needs 'group'", mistakes, "name: no_group");
        At(e, "Unknown key 'subjects'", mistakes, "subjects");
        At(e, "Unknown type 'kafka_stream'", mistakes, "kafka_stream");
    }

    [Fact]
    public async Task Text_mistakes_are_reported_at_their_line_and_the_view_is_not_loaded()
    {
        const string mistakes = """
            stream_feature_views:
              - name: unreadable
                entities: [user]
                source: transactions_push
                hop: 1 minute
                allowed_latenes: 10m
                aggregations:
                  - {column: amount, function: sum, windows: [1h, 0, 3 days]}
                  - {function: count, windows: [{window: lifetime, hop: 1m}]}
                  - {column: merchant_id, function: last_k, k: five, windows: [1d]}
                  - {column: amount, function: approx_percentile, percentiles: [50, high], windows: [1d]}
                  - {column: amount, function: sum, window: [1h]}
                  - {column: amount, function: mean, windows: [1h], name: 1bad}
              - name: no_aggregations
                entities: [user]
                source: transactions_push
                hop: 1m
            feature_services:
              - name: reads_unreadable
                features: [unreadable:sum_amount_1h]
            """;

        var e = await PlanFailsAsync(mistakes);

        At(e, "Invalid hop '1 minute'", mistakes, "1 minute");
        Assert.Contains("did you mean 'allowed_lateness'?", At(e, "Unknown key 'allowed_latenes'", mistakes, "allowed_latenes").Message, StringComparison.Ordinal);
        At(e, "Invalid window '0'", mistakes, "3 days");
        At(e, "Invalid window '3 days'", mistakes, "3 days");
        At(e, "A lifetime window of aggregations[1] of stream feature view 'unreadable' has no hop", mistakes, "window: lifetime");
        At(e, "'k' of aggregations[2]", mistakes, "k: five");
        At(e, "Invalid percentile 'high'", mistakes, "high");
        At(e, "Unknown key 'window' in aggregations[4]", mistakes, "window: [1h]");
        At(e, "Aggregations[4] of stream feature view 'unreadable' needs 'windows'", mistakes, "window: [1h]");
        At(e, "Invalid feature name '1bad'", mistakes, "1bad");
        At(e, "Stream feature view 'no_aggregations' needs 'aggregations'", mistakes, "name: no_aggregations");
        // The view did not load: a service naming its features is not reported on top of its own mistakes.
        Assert.DoesNotContain(e.Diagnostics, d => d.Message.Contains("reads_unreadable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_batch_source_that_cannot_be_inspected_needs_the_event_columns_declared_and_a_declared_dtype_must_hold_its_column()
    {
        const string mistakes = """
            sources:
              - {name: pg_log, type: postgres, table: transactions, timestamp_field: event_timestamp}
              - {name: pg_push, type: push, batch_source: pg_log}
            stream_feature_views:
              - name: undeclared
                entities: [user]
                source: pg_push
                event_id_field: txn_id
                hop: 1m
                aggregations:
                  - {column: amount, function: sum, windows: [1h]}
              - name: declared_wrong
                entities: [user]
                source: transactions_push
                hop: 1m
                schema:
                  - {name: amount, dtype: int64}
                  - {name: refund, dtype: float64}
                aggregations:
                  - {column: amount, function: sum, windows: [1h]}
            """;

        var e = await PlanFailsAsync(mistakes);

        var undeclared = At(e, "reads column 'amount' (in aggregations[0]), but its events' batch source 'pg_log' cannot be inspected", mistakes, "{column: amount", after: "name: undeclared");
        Assert.Contains("declare it in the view's schema: [{name: amount, dtype: ...}]", undeclared.Message, StringComparison.Ordinal);
        At(e, "reads event_id_field 'txn_id', but its events' batch source 'pg_log' cannot be inspected", mistakes, "event_id_field: txn_id");
        var dtype = At(e, "Event column 'amount' of stream feature view 'declared_wrong' is declared int64", mistakes, "{name: amount, dtype: int64}");
        Assert.Contains("is DOUBLE (64-bit floats), which int64 cannot hold. Use dtype: float64", dtype.Message, StringComparison.Ordinal);
        At(e, "declares event column 'refund', but its events' batch source 'txn_log' has no column 'refund'", mistakes, "refund");
    }

    [Fact]
    public async Task Declared_event_columns_type_a_view_whose_batch_source_cannot_be_inspected()
    {
        using var repo = await StreamDefinitionRepository.CreateAsync();
        repo.Write("postgres.yaml", """
            sources:
              - {name: pg_log, type: postgres, table: transactions, timestamp_field: event_timestamp}
              - {name: pg_push, type: push, batch_source: pg_log}
            stream_feature_views:
              - name: declared
                entities: [user]
                source: pg_push
                event_id_field: txn_id
                hop: 1m
                schema:
                  - {name: txn_id, dtype: string}
                  - {name: units, dtype: int32}
                  - {name: price, dtype: float32}
                aggregations:
                  - {column: units, function: sum, windows: [1h]}
                  - {column: price, function: max, windows: [1h]}
            """);
        await using var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();

        var view = (await store.GetRegistryAsync()).Definitions.FindFeatureView("declared")!;

        Assert.Equal([("sum_units_1h", "int64"), ("max_price_1h", "float32")], view.Schema.Select(f => (f.Name, f.Type.ToString())));
        // Only the columns the aggregations read are the view's inputs; the event id is carried beside them.
        Assert.Equal([("units", "int32"), ("price", "float32")], view.Stream!.Inputs.Select(f => (f.Name, f.Type.ToString())));
    }
}

using Granary.Core.Model;
using Granary.Registry.Building;
using Granary.Resolution;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Streaming;

/// <summary>
/// The issue's stream definitions, from YAML or C#, through plan and apply: the registry holds each stream view with
/// the features its aggregations produce, named and typed as the issue says, and serves them like any feature.
/// </summary>
public sealed class StreamDefinitionLoadingTests
{
    private static async Task<DefinitionSet> ApplyAndReadBackAsync(TempRepository repo)
    {
        await using (var store = FeatureStore.Open(repo.Root))
        {
            await store.ApplyAsync();
        }

        // A second store reads what the first wrote: nothing is held over in memory.
        await using var reopened = FeatureStore.Open(repo.Root);
        return (await reopened.GetRegistryAsync()).Definitions;
    }

    [Fact]
    public async Task The_issue_example_is_stored_with_its_features_named_and_typed_as_the_issue_lists()
    {
        using var repo = await StreamDefinitionRepository.CreateAsync();

        var view = (await ApplyAndReadBackAsync(repo)).FindFeatureView("user_spend")!;

        Assert.Equal(
            [
                ("sum_amount_1h", "float64"), ("sum_amount_1d", "float64"), ("sum_amount_7d", "float64"),
                ("mean_amount_1h", "float64"),
                ("count_1h", "int64"), ("count_lifetime", "int64"),
                ("approx_count_distinct_merchant_id_1d", "int64"),
                ("approx_percentile_p50_amount_1d", "float64"), ("approx_percentile_p99_amount_1d", "float64"),
                ("last_k_merchant_id_1d", "list<int64>"),
            ],
            view.Schema.Select(f => (f.Name, f.Type.ToString())));
        Assert.Equal(["user"], view.Entities);
        Assert.Equal("transactions_push", view.Source);
        Assert.Equal(TimeSpan.Zero, view.Ttl);
        Assert.True(view.Online);

        var stream = view.Stream!;
        Assert.Equal("txn_id", stream.EventIdField);
        Assert.Equal(TimeSpan.FromMinutes(1), stream.Hop);
        Assert.Equal(TimeSpan.FromMinutes(10), stream.AllowedLateness);
        Assert.Equal([("amount", FeatureType.Float64), ("merchant_id", FeatureType.Int64)], stream.Inputs.Select(i => (i.Name, i.Type)));
        Assert.Equal(
            [new StreamWindow(TimeSpan.FromHours(1)), new StreamWindow(TimeSpan.FromDays(1)), new StreamWindow(TimeSpan.FromDays(7), TimeSpan.FromHours(1))],
            stream.Aggregations[0].Windows);
        Assert.Equal([new StreamWindow(TimeSpan.FromHours(1)), StreamWindow.Lifetime], stream.Aggregations[2].Windows);
        Assert.Null(stream.Aggregations[2].Column);
        Assert.Equal([50.0, 99.0], stream.Aggregations[4].Percentiles);
        Assert.Equal(5, stream.Aggregations[5].K);
    }

    [Fact]
    public async Task The_issue_example_sources_are_stored_with_every_key_it_gives()
    {
        using var repo = await StreamDefinitionRepository.CreateAsync();

        var definitions = await ApplyAndReadBackAsync(repo);

        Assert.Equal("txn_log", Assert.IsType<PushSource>(definitions.FindSource("transactions_push")).BatchSourceName);
        var redis = Assert.IsType<RedisStreamSource>(definitions.FindSource("transactions_stream"));
        Assert.Equal(("127.0.0.1:6379", "transactions", "granary", "txn_log", "event_timestamp"), (redis.Connection, redis.Stream, redis.Group, redis.BatchSourceName, redis.TimestampField));
        var nats = Assert.IsType<NatsSource>(definitions.FindSource("clicks_nats"));
        Assert.Equal(("nats://127.0.0.1:4222", "CLICKS", "clicks.>", "granary", "click_log", "ts"), (nats.Url, nats.Stream, nats.Subject, nats.Durable, nats.BatchSourceName, nats.TimestampField));
    }

    [Fact]
    public async Task Integer_columns_sum_to_int64_and_min_max_first_last_and_last_k_keep_the_column_type()
    {
        using var repo = await StreamDefinitionRepository.CreateAsync(streams: StreamDefinitionRepository.IssueExample + """

              - name: user_items
                entities: [user]
                source: transactions_stream
                hop: 5m
                aggregations:
                  - {column: amount_cents, function: sum, windows: [1h]}
                  - {column: items, function: sum, windows: [1h]}
                  - {column: items, function: min, windows: [1h]}
                  - {column: items, function: max, windows: [1h]}
                  - {column: amount_cents, function: first, windows: [1d]}
                  - {column: method, function: last, windows: [lifetime]}
                  - {column: items, function: variance, windows: [1h]}
                  - {column: items, function: stddev, windows: [1h]}
                  - {column: method, function: last_k, k: 3, windows: [1h]}
                  - {column: method, function: approx_count_distinct, windows: [1h]}
                  - {column: items, function: mean, windows: [90m], name: mean_items_90m}
            """);

        var view = (await ApplyAndReadBackAsync(repo)).FindFeatureView("user_items")!;

        Assert.Equal(
            [
                ("sum_amount_cents_1h", "int64"), ("sum_items_1h", "int64"), ("min_items_1h", "int32"), ("max_items_1h", "int32"),
                ("first_amount_cents_1d", "int64"), ("last_method_lifetime", "string"), ("variance_items_1h", "float64"),
                ("stddev_items_1h", "float64"), ("last_k_method_1h", "list<string>"), ("approx_count_distinct_method_1h", "int64"),
                ("mean_items_90m", "float64"),
            ],
            view.Schema.Select(f => (f.Name, f.Type.ToString())));
    }

    [Fact]
    public async Task Stream_features_resolve_by_reference_and_through_a_feature_service_to_the_logged_events()
    {
        using var repo = await StreamDefinitionRepository.CreateAsync(streams: StreamDefinitionRepository.IssueExample + """

              - name: user_clicks
                entities: [user]
                source: clicks_nats
                hop: 1m
                aggregations:
                  - {function: count, windows: [1h]}
            """);
        await using var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();
        var resolution = RegistryResolution.Of(await store.GetRegistryAsync());

        var references = resolution.References([], "fraud_model", serviceOverridesFeatures: false);
        var spend = resolution.View("user_spend");
        var clicks = resolution.View("user_clicks");

        Assert.Equal(["user_spend:sum_amount_1h", "user_spend:count_lifetime", "user_spend:last_k_merchant_id_1d"], references.Select(r => r.ToString()));
        Assert.Equal(0, RegistryResolution.FeatureIndex(spend, "sum_amount_1h"));
        Assert.Equal(FeatureType.Int64.AsList(), spend.Schema.Features[RegistryResolution.FeatureIndex(spend, "last_k_merchant_id_1d")].Type);
        Assert.Equal(["user_id"], spend.JoinKeys);
        // The events of a push source and of a NATS source are read back from their batch sources.
        Assert.Equal("txn_log", spend.RequireSource().Name);
        Assert.Equal("click_log", clicks.RequireSource().Name);
        Assert.Contains("Did you mean 'user_spend:sum_amount_1h'", Assert.Throws<Granary.Core.Errors.GranaryException>(() => RegistryResolution.FeatureIndex(spend, "sum_amount_1hr")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_definitions_in_csharp_plan_to_the_same_canonical_specs_as_the_yaml()
    {
        using var repo = await StreamDefinitionRepository.CreateAsync();
        var definitions = new RepositoryBuilder()
            .Entity("user", e => e.JoinKeys("user_id").ValueType(FeatureType.Int64))
            .FileSource("txn_log", "data/transactions.parquet", s => s.TimestampField("event_timestamp"))
            .PushSource("transactions_push", "txn_log")
            .RedisStreamSource("transactions_stream", "127.0.0.1:6379", "transactions", "granary", "txn_log", s => s.TimestampField("event_timestamp"))
            .FileSource("click_log", "data/clicks.parquet", s => s.TimestampField("ts"))
            .NatsSource("clicks_nats", "nats://127.0.0.1:4222", "CLICKS", "clicks.>", "granary", "click_log", s => s.TimestampField("ts"))
            .StreamFeatureView("user_spend", v => v
                .Entities("user").Source("transactions_push").EventIdField("txn_id")
                .Hop(TimeSpan.FromMinutes(1)).AllowedLateness(TimeSpan.FromMinutes(10))
                .Aggregate("sum", "amount", a => a.Window(TimeSpan.FromHours(1)).Window(TimeSpan.FromDays(1)).Window(TimeSpan.FromDays(7), hop: TimeSpan.FromHours(1)))
                .Aggregate("mean", "amount", a => a.Window(TimeSpan.FromHours(1)))
                .Aggregate("count", null, a => a.Window(TimeSpan.FromHours(1)).Lifetime())
                .Aggregate("approx_count_distinct", "merchant_id", a => a.Window(TimeSpan.FromDays(1)))
                .Aggregate("approx_percentile", "amount", a => a.Percentiles(50, 99).Window(TimeSpan.FromDays(1)))
                .Aggregate("last_k", "merchant_id", a => a.K(5).Window(TimeSpan.FromDays(1))))
            .FeatureService("fraud_model", ["user_spend:sum_amount_1h", "user_spend:count_lifetime", "user_spend:last_k_merchant_id_1d"])
            .Build();
        await using var store = FeatureStore.Open(repo.Root);

        var fromYaml = await store.PlanAsync();
        var fromCode = await store.PlanAsync(definitions);

        Assert.Equal(fromYaml.Changes.Select(c => (c.Kind, c.Name, c.NewSpec)), fromCode.Changes.Select(c => (c.Kind, c.Name, c.NewSpec)));
        Assert.Equal(fromYaml.Definitions, fromCode.Definitions);
    }
}

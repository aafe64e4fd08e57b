using Granary.OnlineServing;
using Granary.Tests.Infrastructure;
using Granary.Core.Time;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.OnlineServing;

/// <summary>
/// A view gains a feature, then loses one; after each apply, materializing the same rows again (same event and created
/// times as the records already stored) brings every entity's values back under the new schema. One subclass per
/// online store.
/// </summary>
public abstract class SchemaChangeTests
{
    // The source holds every column from the start; the view's schema picks which are features.
    private const string Events = """
        user_id,event_timestamp,created,orders,spend
        1,2026-11-01T00:00:00Z,2026-11-01T00:05:00Z,3,120.5
        1,2026-11-02T00:00:00Z,2026-11-02T00:05:00Z,4,99.25
        2,2026-11-02T00:00:00Z,2026-11-02T00:05:00Z,8,7.5
        3,2026-10-30T00:00:00Z,2026-10-30T00:05:00Z,1,0.0
        """;

    private static readonly DateTimeOffset Now = new(2026, 11, 3, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The <c>online_store</c> section of granary.yaml for this store.</summary>
    protected abstract string OnlineStoreYaml();

    [Fact]
    public async Task A_view_that_gains_and_then_loses_a_feature_serves_present_values_after_each_apply_and_materialize()
    {
        using var repo = new TempRepository();
        repo.Write("granary.yaml", $"project: s{Guid.NewGuid():N}\nonline_store: {OnlineStoreYaml()}\n")
            .Write("data/events.csv", Events)
            .Write("features.yaml", View("{name: orders, dtype: int64}"));
        await using var store = new FeatureStoreBuilder(repo.Root).UseTimeProvider(new FakeTimeProvider(Now)).Build();

        Assert.Empty(await ApplyAndMaterializeAsync(store));
        var first = await ReadAsync(store, "stats:orders");
        Assert.Equal([(4L, FeatureStatus.Present), (8L, FeatureStatus.Present), (1L, FeatureStatus.Present)], Int64s(first, "orders"));

        repo.Write("features.yaml", View("{name: orders, dtype: int64}", "{name: spend, dtype: float64}"));
        var gained = await ApplyAndMaterializeAsync(store);
        var second = await ReadAsync(store, "stats:orders", "stats:spend");
        Assert.Equal(["stats"], gained);
        Assert.Equal([(4L, FeatureStatus.Present), (8L, FeatureStatus.Present), (1L, FeatureStatus.Present)], Int64s(second, "orders"));
        Assert.Equal([(99.25, FeatureStatus.Present), (7.5, FeatureStatus.Present), (0.0, FeatureStatus.Present)], Float64s(second, "spend"));
        Assert.Equal(UtcMicros.From(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero)), second["spend"].EventTimestamps[0]);

        repo.Write("features.yaml", View("{name: spend, dtype: float64}"));
        var lost = await ApplyAndMaterializeAsync(store);
        var third = await ReadAsync(store, "stats:spend");
        Assert.Equal(["stats"], lost);
        Assert.Equal([(99.25, FeatureStatus.Present), (7.5, FeatureStatus.Present), (0.0, FeatureStatus.Present)], Float64s(third, "spend"));
    }

    /// <summary>Applies the repository and materializes all of its rows; returns the views the plan said need it.</summary>
    private static async Task<IReadOnlyList<string>> ApplyAndMaterializeAsync(FeatureStore store)
    {
        var applied = await store.ApplyAsync();
        var results = await store.MaterializeAsync(DateTimeOffset.UnixEpoch, Now, ["stats"]);
        Assert.Equal(3, results.Single().Rows);
        return applied.Plan.ViewsToRematerialize;
    }

    private static Task<OnlineFeaturesResponse> ReadAsync(FeatureStore store, params string[] features) =>
        store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [1L, 2L, 3L] },
            Features = features,
        });

    private static (long, FeatureStatus)[] Int64s(OnlineFeaturesResponse response, string feature)
    {
        var column = response[feature];
        return [.. Enumerable.Range(0, 3).Select(i => (column.Statuses[i] == FeatureStatus.Present ? column.Values[i].AsInt64() : long.MinValue, column.Statuses[i]))];
    }

    private static (double, FeatureStatus)[] Float64s(OnlineFeaturesResponse response, string feature)
    {
        var column = response[feature];
        return [.. Enumerable.Range(0, 3).Select(i => (column.Statuses[i] == FeatureStatus.Present ? column.Values[i].AsFloat64() : double.NaN, column.Statuses[i]))];
    }

    private static string View(params string[] fields) => $$"""
        entities:
          - {name: user, join_keys: [user_id], value_type: int64}
        sources:
          - {name: events, type: file, path: data/events.csv, timestamp_field: event_timestamp, created_timestamp_column: created}
        feature_views:
          - name: stats
            entities: [user]
            ttl: 30d
            source: events
            schema: [{{string.Join(", ", fields)}}]
        """;
}

public sealed class EmbeddedSchemaChangeTests : SchemaChangeTests
{
    protected override string OnlineStoreYaml() => "{type: embedded}";
}

[Collection(RedisCollection.Name)]
public sealed class RedisSchemaChangeTests(RedisServer redis) : SchemaChangeTests
{
    protected override string OnlineStoreYaml() => $"{{type: redis, connection: \"{redis.ConnectionString}\"}}";
}

[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterSchemaChangeTests(RedisCluster cluster) : SchemaChangeTests
{
    protected override string OnlineStoreYaml() => $"{{type: redis, connection: \"{cluster.ConnectionString}\"}}";
}

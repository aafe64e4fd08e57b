using Granary.Core.Diagnostics;
using Granary.Offline.Retrieval;
using Granary.OnlineServing;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Diagnostics;

/// <summary>A store opened from <c>granary.yaml</c> traces its registry, offline engine and online store calls, with nothing to wire.</summary>
[Collection(ActivityListenerCollection.Name)]
public sealed class FeatureStoreTracingTests
{
    [Fact]
    public async Task An_online_lookup_shows_the_registry_load_and_the_online_store_read_beneath_the_caller()
    {
        using var repo = SampleRepository.Create();
        await using (var writer = FeatureStore.Open(repo.Root))
        {
            await writer.ApplyAsync();
        }

        await using var store = FeatureStore.Open(repo.Root);
        using var spans = new CapturedActivities(GranaryTelemetry.RegistryActivitySourceName, GranaryTelemetry.OnlineActivitySourceName);

        await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Features = ["user_stats:orders_7d"],
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [1L] },
        });

        var load = spans.Single("granary.registry.load");
        Assert.Equal("sqlite", load.GetTagItem("db.system.name"));
        Assert.Equal("shop", load.GetTagItem("granary.project"));
        var read = spans.Single("granary.online_store.read");
        Assert.Equal("embedded", read.GetTagItem("granary.online_store.type"));
        Assert.Equal(1, read.GetTagItem("granary.online_store.keys"));
    }

    [Fact]
    public async Task Training_data_and_materialization_show_the_offline_engine_calls_beneath_a_span_per_view()
    {
        using var repo = SampleRepository.Create().Write("entities.csv", "user_id,event_timestamp\n1,2026-11-03T00:00:00Z\n2,2026-11-03T00:00:00Z\n");
        await using var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();
        using var spans = new CapturedActivities(GranaryTelemetry.OfflineActivitySourceName, GranaryTelemetry.MaterializationActivitySourceName);

        var training = await store.GetHistoricalFeaturesAsync(new() { Entities = EntityTable.FromFile(Path.Combine(repo.Root, "entities.csv")), Features = ["user_stats:orders_7d"] });
        var written = await training.WriteAsync(Path.Combine(repo.Root, "training.parquet"));
        var materialized = Assert.Single(await store.MaterializeAsync(DateTimeOffset.UnixEpoch, new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), ["user_stats"]));

        var write = spans.Single("granary.offline.point_in_time.write");
        Assert.Equal("duckdb", write.GetTagItem("db.system.name"));
        Assert.Equal(1, write.GetTagItem("granary.feature_views"));
        Assert.Equal(written, write.GetTagItem("granary.rows"));
        var latest = spans.Single("granary.offline.latest_values.read");
        Assert.Equal("user_stats", latest.GetTagItem("granary.feature_view"));
        var materialize = spans.Single("granary.materialize");
        Assert.Equal("user_stats", materialize.GetTagItem("granary.feature_view"));
        Assert.Equal(materialized.Rows, materialize.GetTagItem("granary.rows"));
        Assert.Equal(materialized.Written, materialize.GetTagItem("granary.online_store.written"));
        Assert.Equal(materialize.SpanId, latest.ParentSpanId);
    }
}

using Granary.Core.Diagnostics;
using Granary.OnlineServing;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Diagnostics;

/// <summary>A store opened from <c>granary.yaml</c> traces its registry and online store calls, with nothing to wire.</summary>
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
}

using Granary.Core.Model;
using Granary.Online;
using Granary.Offline;
using Granary.Registry;
using Granary.Registry.Serialization;
using Granary.Registry.Storage;

namespace Granary.Tests.Resolution;

/// <summary>A registry built from definitions in code, and stand-ins for the parts a resolution test does not exercise.</summary>
internal static class ResolutionFixtures
{
    public static RegistryContents RegistryOf(DefinitionSet definitions, string project = "shop")
    {
        var now = DateTimeOffset.UnixEpoch;
        var objects = definitions.All()
            .Select(d => new StoredObject(d.Kind, d.Name, CanonicalJson.Serialize(d), "", 1, 1, now, now))
            .ToList();
        return new RegistryContents(new RegistrySnapshot(project, 1, objects));
    }

    /// <summary>
    /// A user entity; a file source with a push source over it and a view reading the push source; and a push source
    /// whose batch_source does not exist, with a view reading it.
    /// </summary>
    public static DefinitionSet PushSources() => new()
    {
        Entities = [new Entity { Name = "user", JoinKeys = ["user_id"], ValueType = FeatureType.Int64 }],
        Sources =
        [
            new FileSource { Name = "stats_file", Path = "stats.parquet", Format = FileFormat.Parquet, TimestampField = "ts" },
            new PushSource { Name = "stats_push", BatchSourceName = "stats_file" },
            new PushSource { Name = "broken_push", BatchSourceName = "nowhere" },
        ],
        FeatureViews =
        [
            new FeatureView { Name = "user_stats", Entities = ["user"], Schema = [new Field("orders", FeatureType.Int64)], Source = "stats_push", Online = true },
            new FeatureView { Name = "broken_stats", Entities = ["user"], Schema = [new Field("orders", FeatureType.Int64)], Source = "broken_push", Online = true },
        ],
    };

    /// <summary>An engine with no capability at all.</summary>
    public sealed class BareEngine : IOfflineEngine
    {
        public string Name => "bare";

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>An online store that only counts the writes it is given.</summary>
    public sealed class CountingOnlineStore : IOnlineStore
    {
        public string Name => "counting";

        public int Writes { get; private set; }

        public Task InitializeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<int> WriteAsync(IReadOnlyList<OnlineWrite> writes, CancellationToken cancellationToken = default)
        {
            Writes += writes.Count;
            return Task.FromResult(writes.Count);
        }

        public ValueTask ReadAsync(IReadOnlyList<OnlineKey> keys, byte[]?[] records, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public Task<DateTimeOffset?> GetWatermarkAsync(string view, CancellationToken cancellationToken = default) => Task.FromResult<DateTimeOffset?>(null);

        public Task SetWatermarkAsync(string view, DateTimeOffset watermark, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task TeardownAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

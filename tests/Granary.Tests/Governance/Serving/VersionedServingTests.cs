using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Historical;
using Granary.Offline.Retrieval;
using Granary.OnlineServing;
using Granary.Registry.Catalog;
using Granary.Registry.Serialization;
using Granary.Registry.Storage;
using Granary.Tests.Diagnostics;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Governance.Serving;

/// <summary>
/// Versions served end to end through <see cref="FeatureStore"/>: a view is applied and materialized at 1.0.0, then
/// retyped (a major bump), and each version reads its own online namespace; a staged version is readable only
/// pinned; deprecated and archived features; training data reads pinned definitions and saved datasets record the
/// versions. Catalog versions are written through the registry store, as apply writes them. One subclass per online
/// store.
/// </summary>
public abstract class VersionedServingTests
{
    private const string Events = """
        user_id,event_timestamp,created,score,bonus
        1,2026-11-01T00:00:00Z,2026-11-01T00:05:00Z,3,10
        2,2026-11-01T00:00:00Z,2026-11-01T00:05:00Z,8,20

        """;

    // A later row for user 1, arriving after the retype: only what is materialized afterwards sees it.
    private const string LaterEvent = "1,2026-11-02T00:00:00Z,2026-11-02T00:05:00Z,9,30\n";

    private static readonly DateTimeOffset Now = new(2026, 11, 3, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The <c>online_store</c> section of granary.yaml for this store.</summary>
    protected abstract string OnlineStoreYaml();

    [Fact]
    public async Task After_a_retype_the_old_major_serves_its_records_and_the_current_one_its_own_namespace()
    {
        await using var f = await AppliedAtVersion1Async();

        await f.RetypeAsync();
        var beforeMaterializing = await f.ReadAsync("stats:score", "stats@v1:score");
        await f.Store.MaterializeAsync(DateTimeOffset.UnixEpoch, Now, ["stats"]);
        var after = await f.ReadAsync("stats:score", "stats@v1:score", "stats@1.0.0:score");

        Assert.Equal([FeatureStatus.NotFound, FeatureStatus.NotFound], beforeMaterializing["stats__score"].Statuses.ToArray());
        Assert.Equal([3L, 8L], Int64s(beforeMaterializing, "stats@v1__score"));
        Assert.Equal([9.0, 8.0], Float64s(after, "stats__score"));
        Assert.Equal([3L, 8L], Int64s(after, "stats@v1__score"));
        Assert.Equal([3L, 8L], Int64s(after, "stats@1.0.0__score"));
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.Zero), await f.Store.Online.GetWatermarkAsync("stats@v2"));
    }

    [Fact]
    public async Task A_staged_version_is_readable_only_pinned_and_materializes_into_its_own_namespace()
    {
        await using var f = await AppliedAtVersion1Async();
        var current = await f.CurrentViewAsync();
        var staged = current with { Schema = [.. current.Schema, new Field("bonus", FeatureType.Int64)] };
        await f.RecordVersionAsync("2.0.0", promoted: false, snapshot: staged);

        var results = await f.Store.MaterializeAsync(DateTimeOffset.UnixEpoch, Now, ["stats@v2"]);
        var pinned = await f.ReadAsync("stats@v2:bonus", "stats@v2:score");
        var unversioned = await Assert.ThrowsAsync<GranaryException>(() => f.ReadAsync("stats:bonus"));
        var stillCurrent = await f.ReadAsync("stats:score");

        Assert.Equal("stats@2.0.0", Assert.Single(results).View);
        Assert.Equal([10L, 20L], Int64s(pinned, "stats@v2__bonus"));
        Assert.Equal([3L, 8L], Int64s(pinned, "stats@v2__score"));
        Assert.Equal(ErrorCodes.NotFound, unversioned.Code);
        Assert.Equal([3L, 8L], Int64s(stillCurrent, "stats__score"));
    }

    [Fact]
    public async Task An_unknown_version_is_not_found_naming_the_versions_that_exist()
    {
        await using var f = await AppliedAtVersion1Async();

        var e = await Assert.ThrowsAsync<GranaryException>(() => f.ReadAsync("stats@v7:score"));

        Assert.Equal(ErrorCodes.NotFound, e.Code);
        Assert.Contains("it has 1.0.0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deprecated_feature_serves_with_a_warning_once_an_hour_and_an_archived_one_is_refused()
    {
        await using var f = await AppliedAtVersion1Async();
        await f.SetStatusAsync("stats:score", LifecycleStatus.Deprecated);

        var served = await f.ReadAsync("stats:score");
        await f.ReadAsync("stats:score");
        var withinHour = f.Log.WithId(7201).Length;
        f.Time.Advance(TimeSpan.FromHours(1));
        await f.ReadAsync("stats:score");
        var afterHour = f.Log.WithId(7201).Length;
        await f.SetStatusAsync("stats:score", LifecycleStatus.Archived);
        var archived = await Assert.ThrowsAsync<GranaryException>(() => f.ReadAsync("stats:score"));

        Assert.Equal([3L, 8L], Int64s(served, "stats__score"));
        Assert.Equal((1, 2), (withinHour, afterHour));
        Assert.Equal(ErrorCodes.NotFound, archived.Code);
        Assert.Contains("archived", archived.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Training_data_reads_pinned_definitions_and_the_saved_dataset_records_the_versions()
    {
        await using var f = await AppliedAtVersion1Async();
        await f.RetypeAsync();
        f.Repo.Write("data/entities.csv", "user_id,event_timestamp\n1,2026-11-02T12:00:00Z\n");
        var training = await f.Store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest
        {
            Entities = EntityTable.FromFile(Path.Combine(f.Repo.Root, "data", "entities.csv")),
            Features = ["stats@v1:score", "stats:score"],
            FullFeatureNames = true,
        });
        var output = Path.Combine(f.Repo.Root, "training.csv");

        var rows = await training.WriteAsync(output);
        var saved = await f.Store.SaveDatasetAsync("train", training, output, rows);
        var read = await f.Store.GetDatasetAsync("train");
        var lines = File.ReadAllLines(output);

        Assert.Contains("stats@v1__score", lines[0], StringComparison.Ordinal);
        Assert.Contains("stats__score", lines[0], StringComparison.Ordinal);
        var header = lines[0].Split(',');
        var values = lines[1].Split(',');
        Assert.Equal("9", values[Array.IndexOf(header, "stats@v1__score")]);
        Assert.StartsWith("9", values[Array.IndexOf(header, "stats__score")], StringComparison.Ordinal);
        Assert.Equal(["stats@v1:score", "stats:score"], read!.Features);
        Assert.Equal("1.0.0", read.FeatureVersions["stats@v1:score"]);
        Assert.Equal("2.0.0", read.FeatureVersions["stats:score"]);
        Assert.Equal(saved.FeatureVersions.Count, read.FeatureVersions.Count);
    }

    private async Task<Fixture> AppliedAtVersion1Async()
    {
        var project = $"s{Guid.NewGuid():N}";
        var repo = new TempRepository();
        repo.Write("granary.yaml", $"project: {project}\nregistry: data/registry.db\nonline_store: {OnlineStoreYaml()}\n")
            .Write("data/events.csv", Events)
            .Write("features.yaml", View("{name: score, dtype: int64}"));
        var time = new FakeTimeProvider(Now);
        var log = new CapturedLog();
        var store = new FeatureStoreBuilder(repo.Root).UseTimeProvider(time).UseLoggerFactory(new OneLogFactory(log)).Build();
        await store.ApplyAsync();
        var registry = new SqliteRegistryStore(Path.Combine(repo.Root, "data", "registry.db"));
        await registry.InitializeAsync();
        var fixture = new Fixture { Repo = repo, Store = store, Registry = registry, Project = project, Time = time, Log = log };
        await fixture.RecordVersionAsync("1.0.0");
        await store.MaterializeAsync(DateTimeOffset.UnixEpoch, Now, ["stats"]);
        return fixture;
    }

    internal static string View(params string[] fields) => $$"""
        entities:
          - {name: user, join_keys: [user_id], value_type: int64}
        sources:
          - {name: events, type: file, path: data/events.csv, timestamp_field: event_timestamp, created_timestamp_column: created}
        feature_views:
          - name: stats
            entities: [user]
            ttl: 0
            source: events
            schema: [{{string.Join(", ", fields)}}]
        """;

    private static long[] Int64s(OnlineFeaturesResponse response, string column)
    {
        var values = response[column];
        Assert.All(values.Statuses.ToArray(), s => Assert.Equal(FeatureStatus.Present, s));
        return [.. Enumerable.Range(0, response.RowCount).Select(i => values.Values[i].AsInt64())];
    }

    private static double[] Float64s(OnlineFeaturesResponse response, string column)
    {
        var values = response[column];
        Assert.All(values.Statuses.ToArray(), s => Assert.Equal(FeatureStatus.Present, s));
        return [.. Enumerable.Range(0, response.RowCount).Select(i => values.Values[i].AsFloat64())];
    }

    private sealed class Fixture : IAsyncDisposable
    {
        public required TempRepository Repo { get; init; }

        public required FeatureStore Store { get; init; }

        public required SqliteRegistryStore Registry { get; init; }

        public required string Project { get; init; }

        public required FakeTimeProvider Time { get; init; }

        public required CapturedLog Log { get; init; }

        public async Task<FeatureView> CurrentViewAsync()
        {
            var contents = await Store.Registry.GetAsync();
            return (FeatureView)CanonicalJsonReader.Read(ObjectKind.FeatureView, contents.Find(ObjectKind.FeatureView, "stats")!.Spec);
        }

        /// <summary>Records <paramref name="version"/> of view <c>stats</c> (its current definition unless given), as apply would, and lets the store see it.</summary>
        public async Task RecordVersionAsync(string version, bool promoted = true, FeatureView? snapshot = null)
        {
            var record = new CatalogVersion(Project, "stats", SemanticVersion.Parse(version))
            {
                DefinitionSnapshot = CanonicalJson.Serialize(snapshot ?? await CurrentViewAsync()),
                Promoted = promoted,
                CreatedAt = Time.GetUtcNow(),
            };
            if (await Registry.GetCatalogEntryAsync(Project, "stats") is null)
            {
                var entry = new CatalogEntry(Project, "stats", CatalogEntryKind.View) { CurrentVersion = record.Version, Defined = true, CreatedAt = Time.GetUtcNow(), UpdatedAt = Time.GetUtcNow() };
                await Registry.CreateCatalogEntryAsync(entry, record);
                var feature = new CatalogEntry(Project, "stats:score", CatalogEntryKind.Feature) { Defined = true, CreatedAt = Time.GetUtcNow(), UpdatedAt = Time.GetUtcNow() };
                await Registry.CreateCatalogEntryAsync(feature, record with { Name = "stats:score", DefinitionSnapshot = null });
            }
            else
            {
                // Apply may have recorded it already (then this adds nothing).
                await Registry.AddVersionAsync(record);
            }

            await Store.Registry.RefreshAsync();
        }

        public async Task SetStatusAsync(string name, LifecycleStatus status)
        {
            var entry = await Registry.GetCatalogEntryAsync(Project, name);
            Assert.True(await Registry.UpdateCatalogEntryAsync(entry! with { Status = status, UpdatedAt = Time.GetUtcNow() }));
            await Store.Registry.RefreshAsync();
        }

        /// <summary>Retypes <c>score</c> to float64 (a major change), applies, records 2.0.0, and adds a later source row.</summary>
        public async Task RetypeAsync()
        {
            Repo.Write("features.yaml", View("{name: score, dtype: float64}"));
            await Store.ApplyAsync();
            await RecordVersionAsync("2.0.0");
            File.AppendAllText(Path.Combine(Repo.Root, "data", "events.csv"), LaterEvent);
        }

        public Task<OnlineFeaturesResponse> ReadAsync(params string[] features) =>
            Store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
            {
                Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [1L, 2L] },
                Features = features,
                FullFeatureNames = true,
            });

        public async ValueTask DisposeAsync()
        {
            await Store.DisposeAsync();
            await Registry.DisposeAsync();
            Repo.Dispose();
        }
    }
}

public sealed class EmbeddedVersionedServingTests : VersionedServingTests
{
    protected override string OnlineStoreYaml() => "{type: embedded}";
}

[Collection(RedisCollection.Name)]
public sealed class RedisVersionedServingTests(RedisServer redis) : VersionedServingTests
{
    protected override string OnlineStoreYaml() => $"{{type: redis, connection: \"{redis.ConnectionString}\"}}";
}

using System.Diagnostics;
using Granary.Contracts.Errors;
using Granary.Core.Diagnostics;
using Granary.Core.Errors;
using Granary.Registry;
using Granary.Registry.Catalog;
using Granary.Registry.Diagnostics;
using Granary.Registry.Storage;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Diagnostics;

/// <summary>
/// The registry's spans (<c>Granary.Registry</c>, through <see cref="TracedRegistryStore"/>) and log events (4001-4199):
/// what an operator or a trace sees of opening a registry, loading it and noticing applies.
/// </summary>
[Collection(ActivityListenerCollection.Name)]
public sealed class RegistryTelemetryTests : IDisposable
{
    private const string Project = "shop";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "granary-registry-telemetry", Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_folder, "registry.db");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task Registry_calls_are_client_spans_with_the_database_project_and_version()
    {
        await using var store = new TracedRegistryStore(new SqliteRegistryStore(DatabasePath), "sqlite");
        using var spans = new CapturedActivities(GranaryTelemetry.RegistryActivitySourceName);

        await store.InitializeAsync();
        var applied = await store.ApplyAsync(Apply(expectedVersion: 0));
        var version = await store.GetVersionAsync(Project);
        var snapshot = await store.LoadAsync(Project);

        Assert.Same(spans.Root, Activity.Current);
        Assert.Equal(
            ["granary.registry.initialize", "granary.registry.apply", "granary.registry.get_version", "granary.registry.load"],
            spans.Stopped.Select(a => a.OperationName));
        Assert.All(spans.Stopped, a =>
        {
            Assert.Equal(spans.Root.SpanId, a.ParentSpanId);
            Assert.Equal(ActivityKind.Client, a.Kind);
            Assert.Equal("sqlite", a.GetTagItem("db.system.name"));
        });
        var apply = spans.Single("granary.registry.apply");
        Assert.Equal("apply", apply.GetTagItem("db.operation.name"));
        Assert.Equal(Project, apply.GetTagItem("granary.project"));
        Assert.Equal(0L, apply.GetTagItem("granary.registry.expected_version"));
        Assert.Equal(applied, apply.GetTagItem("granary.registry.version"));
        Assert.Equal(version, spans.Single("granary.registry.get_version").GetTagItem("granary.registry.version"));
        Assert.Equal(snapshot.Objects.Count, spans.Single("granary.registry.load").GetTagItem("granary.registry.objects"));
    }

    [Fact]
    public async Task A_refused_apply_marks_its_span_with_the_conflict_code()
    {
        await using var store = new TracedRegistryStore(new SqliteRegistryStore(DatabasePath), "sqlite");
        await store.InitializeAsync();
        await store.ApplyAsync(Apply(expectedVersion: 0));
        using var spans = new CapturedActivities(GranaryTelemetry.RegistryActivitySourceName);

        var error = await Assert.ThrowsAsync<GranaryException>(() => store.ApplyAsync(Apply(expectedVersion: 0)));

        var apply = spans.Single("granary.registry.apply");
        Assert.Equal(ActivityStatusCode.Error, apply.Status);
        Assert.Equal(ErrorCodes.RegistryConflict, error.Code);
        Assert.Equal(error.Code, apply.GetTagItem("error.type"));
    }

    [Fact]
    public async Task Opening_a_new_registry_logs_its_tables_created_and_reopening_logs_the_schema_found()
    {
        var log = new CapturedLog();
        await using (var store = new SqliteRegistryStore(DatabasePath, log))
        {
            await store.InitializeAsync();
            await store.InitializeAsync();
        }

        var created = Assert.Single(log.WithId(4001));
        Assert.Equal(LogLevel.Information, created.Level);
        Assert.Contains(DatabasePath, created.Message, StringComparison.Ordinal);
        var found = Assert.Single(log.WithId(4002));
        Assert.Equal(LogLevel.Debug, found.Level);
    }

    [Fact]
    public async Task The_cache_logs_each_version_it_moves_to_and_each_refresh_that_failed()
    {
        await using var sqlite = new SqliteRegistryStore(DatabasePath);
        await sqlite.InitializeAsync();
        await sqlite.ApplyAsync(Apply(expectedVersion: 0));
        var store = new FailingRegistryStore(sqlite);
        var clock = new FakeTimeProvider();
        var log = new CapturedLog();
        using var cache = new RegistryCache(store, Project, TimeSpan.FromSeconds(5), clock, log);

        await cache.GetAsync();
        await sqlite.ApplyAsync(Apply(expectedVersion: 1));
        await cache.RefreshAsync();
        store.Fail = true;
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cache.RefreshFailed += _ => failed.TrySetResult();
        clock.Advance(TimeSpan.FromSeconds(5));
        await cache.GetAsync();
        await failed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["Registry of project shop moved from version 0 to 1", "Registry of project shop moved from version 1 to 2"], log.WithId(4101).Select(e => e.Message));
        var refresh = Assert.Single(log.WithId(4102));
        Assert.Equal(LogLevel.Warning, refresh.Level);
        Assert.Contains("keeping version 2", refresh.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(refresh.Exception);
    }

    private static ApplyRequest Apply(long expectedVersion) =>
        new(Project, expectedVersion, [], "{}", "tests@localhost", new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>The real store, whose version and stamp queries fail once <see cref="Fail"/> is set.</summary>
    private sealed class FailingRegistryStore(IRegistryStore inner) : IRegistryStore
    {
        public volatile bool Fail;

        public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

        public Task<long> GetVersionAsync(string project, CancellationToken cancellationToken = default) =>
            Fail ? throw new InvalidOperationException("registry down") : inner.GetVersionAsync(project, cancellationToken);

        public Task<RegistryStamp> GetStampAsync(string project, CancellationToken cancellationToken = default) =>
            Fail ? throw new InvalidOperationException("registry down") : inner.GetStampAsync(project, cancellationToken);

        public Task<RegistrySnapshot> LoadAsync(string project, CancellationToken cancellationToken = default) => inner.LoadAsync(project, cancellationToken);

        public Task<IReadOnlyList<RegistryProject>> ListProjectsAsync(CancellationToken cancellationToken = default) => inner.ListProjectsAsync(cancellationToken);

        public Task<long> ApplyAsync(ApplyRequest request, CancellationToken cancellationToken = default) => inner.ApplyAsync(request, cancellationToken);

        public Task<IReadOnlyList<ApplyRecord>> GetHistoryAsync(string project, int limit = 100, CancellationToken cancellationToken = default) =>
            inner.GetHistoryAsync(project, limit, cancellationToken);

        public Task SaveDatasetAsync(SavedDataset dataset, CancellationToken cancellationToken = default) => inner.SaveDatasetAsync(dataset, cancellationToken);

        public Task<IReadOnlyList<SavedDataset>> ListDatasetsAsync(string project, CancellationToken cancellationToken = default) =>
            inner.ListDatasetsAsync(project, cancellationToken);

        public Task<SavedDataset?> GetDatasetAsync(string project, string name, CancellationToken cancellationToken = default) =>
            inner.GetDatasetAsync(project, name, cancellationToken);

        public Task<CatalogPage> QueryCatalogAsync(string project, CatalogQuery query, CancellationToken cancellationToken = default) => inner.QueryCatalogAsync(project, query, cancellationToken);

        public Task<CatalogEntry?> GetCatalogEntryAsync(string project, string name, CancellationToken cancellationToken = default) => inner.GetCatalogEntryAsync(project, name, cancellationToken);

        public Task<bool> CreateCatalogEntryAsync(CatalogEntry entry, CatalogVersion firstVersion, CancellationToken cancellationToken = default) =>
            inner.CreateCatalogEntryAsync(entry, firstVersion, cancellationToken);

        public Task<bool> UpdateCatalogEntryAsync(CatalogEntry entry, CancellationToken cancellationToken = default) => inner.UpdateCatalogEntryAsync(entry, cancellationToken);

        public Task<bool> AddVersionAsync(CatalogVersion version, CancellationToken cancellationToken = default) => inner.AddVersionAsync(version, cancellationToken);

        public Task<bool> RollbackAsync(CatalogVersion restored, SemanticVersion rolledBack, DateTimeOffset at, CancellationToken cancellationToken = default) =>
            inner.RollbackAsync(restored, rolledBack, at, cancellationToken);

        public Task<IReadOnlyList<CatalogVersion>> ListVersionsAsync(string project, string name, CancellationToken cancellationToken = default) => inner.ListVersionsAsync(project, name, cancellationToken);

        public Task<IReadOnlyList<CatalogVersion>> ListAllVersionsAsync(string project, CancellationToken cancellationToken = default) => inner.ListAllVersionsAsync(project, cancellationToken);

        public Task RecordUsageAsync(IReadOnlyList<FeatureUsage> usage, CancellationToken cancellationToken = default) => inner.RecordUsageAsync(usage, cancellationToken);

        public Task<FeatureUsageStatistics> GetUsageStatisticsAsync(string project, string name, CancellationToken cancellationToken = default) =>
            inner.GetUsageStatisticsAsync(project, name, cancellationToken);

        public Task SaveProfileAsync(string project, Granary.Quality.Profiles.ViewProfile profile, CancellationToken cancellationToken = default) =>
            inner.SaveProfileAsync(project, profile, cancellationToken);

        public Task<Granary.Quality.Profiles.ViewProfile?> GetProfileAsync(string project, string id, CancellationToken cancellationToken = default) =>
            inner.GetProfileAsync(project, id, cancellationToken);

        public Task<IReadOnlyList<Granary.Quality.Profiles.ViewProfile>> ListProfilesAsync(string project, string view, int limit = 100, CancellationToken cancellationToken = default) =>
            inner.ListProfilesAsync(project, view, limit, cancellationToken);

        public Task<int> CountProfilesAsync(string project, string view, CancellationToken cancellationToken = default) =>
            inner.CountProfilesAsync(project, view, cancellationToken);

        public Task RecordNewestEventsAsync(string project, IReadOnlyList<Granary.Registry.Monitoring.ViewNewestEvent> events, CancellationToken cancellationToken = default) =>
            inner.RecordNewestEventsAsync(project, events, cancellationToken);

        public Task<IReadOnlyList<Granary.Registry.Monitoring.ViewNewestEvent>> GetNewestEventsAsync(string project, CancellationToken cancellationToken = default) =>
            inner.GetNewestEventsAsync(project, cancellationToken);

        public Task RecordAlertFiringsAsync(string project, IReadOnlyList<Granary.Registry.Monitoring.AlertFiring> firings, CancellationToken cancellationToken = default) =>
            inner.RecordAlertFiringsAsync(project, firings, cancellationToken);

        public Task<IReadOnlyList<Granary.Registry.Monitoring.AlertFiring>> GetAlertFiringsAsync(string project, CancellationToken cancellationToken = default) =>
            inner.GetAlertFiringsAsync(project, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

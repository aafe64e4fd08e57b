using System.Diagnostics;
using Granary.Contracts.Errors;
using Granary.Core.Diagnostics;
using Granary.Core.Errors;
using Granary.Registry.Catalog;
using Granary.Registry.Diagnostics;
using Granary.Registry.Storage;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Registry;

/// <summary>The traced registry store passes each catalog call through as a client span of the registry's source.</summary>
public sealed class CatalogTracedStoreTests : IAsyncLifetime
{
    private const string Project = "shop";
    private static readonly DateTimeOffset At = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"granary-catalog-traced-{Guid.NewGuid():N}");
    private TracedRegistryStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new TracedRegistryStore(new SqliteRegistryStore(Path.Combine(_folder, "registry.db")), "sqlite");
        await _store.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Catalog_calls_are_client_spans_with_the_database_and_project_and_return_the_inner_answers()
    {
        using var spans = new CapturedActivities(GranaryTelemetry.RegistryActivitySourceName);
        var entry = new CatalogEntry(Project, "ctr", CatalogEntryKind.Feature) { CreatedAt = At, UpdatedAt = At };

        Assert.True(await _store.CreateCatalogEntryAsync(entry, new CatalogVersion(Project, "ctr", SemanticVersion.Initial) { CreatedAt = At }));
        Assert.True(await _store.AddVersionAsync(new CatalogVersion(Project, "ctr", new SemanticVersion(1, 1, 0)) { CreatedAt = At }));
        await _store.RecordUsageAsync([new FeatureUsage(Project, "ctr", "1.1.0", "ranker", "production", At) { Count = 2 }]);
        var statistics = await _store.GetUsageStatisticsAsync(Project, "ctr");
        var page = await _store.QueryCatalogAsync(Project, CatalogQuery.All);
        var stamp = await _store.GetStampAsync(Project);

        Assert.Equal(2, statistics.TotalUsage);
        Assert.Equal(new SemanticVersion(1, 1, 0), Assert.Single(page.Entries).CurrentVersion);
        Assert.Equal(0, stamp.Version);
        Assert.Equal(
            ["granary.registry.create_catalog_entry", "granary.registry.add_version", "granary.registry.record_usage", "granary.registry.get_usage_statistics", "granary.registry.query_catalog", "granary.registry.get_stamp"],
            spans.Stopped.Select(a => a.OperationName));
        Assert.All(spans.Stopped, a =>
        {
            Assert.Equal(ActivityKind.Client, a.Kind);
            Assert.Equal("sqlite", a.GetTagItem("db.system.name"));
            Assert.Equal(Project, a.GetTagItem("granary.project"));
            Assert.Equal(a.OperationName["granary.registry.".Length..], a.GetTagItem("db.operation.name"));
        });
    }

    [Fact]
    public async Task A_refused_catalog_call_marks_its_span_with_the_error_code()
    {
        using var spans = new CapturedActivities(GranaryTelemetry.RegistryActivitySourceName);

        var error = await Assert.ThrowsAsync<GranaryException>(() => _store.AddVersionAsync(new CatalogVersion(Project, "ghost", SemanticVersion.Initial)));

        Assert.Equal(ErrorCodes.NotFound, error.Code);
        var span = spans.Single("granary.registry.add_version");
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(ErrorCodes.NotFound, span.GetTagItem("error.type"));
    }
}

using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;
using Granary.Registry.Catalog;

namespace Granary.Tests.Governance.Usage;

/// <summary>A catalog store that keeps only the usage batches written to it (and can be told to fail them), for the recorder's tests.</summary>
[SuppressMessage("Usage", ProviderDiagnostics.ExperimentalId)]
internal sealed class RecordingCatalogStore : ICatalogStore
{
    public ConcurrentQueue<IReadOnlyList<FeatureUsage>> Batches { get; } = new();

    /// <summary>The next this many writes throw.</summary>
    public int FailNext { get; set; }

    public Task RecordUsageAsync(IReadOnlyList<FeatureUsage> usage, CancellationToken cancellationToken = default)
    {
        if (FailNext > 0)
        {
            FailNext--;
            throw new InvalidOperationException("database is locked");
        }

        Batches.Enqueue([.. usage]);
        return Task.CompletedTask;
    }

    public IReadOnlyList<FeatureUsage> Rows => [.. Batches.SelectMany(b => b)];

    public Task<CatalogPage> QueryCatalogAsync(string project, CatalogQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<CatalogEntry?> GetCatalogEntryAsync(string project, string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> CreateCatalogEntryAsync(CatalogEntry entry, CatalogVersion firstVersion, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> UpdateCatalogEntryAsync(CatalogEntry entry, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> AddVersionAsync(CatalogVersion version, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> RollbackAsync(CatalogVersion restored, SemanticVersion rolledBack, DateTimeOffset at, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<CatalogVersion>> ListVersionsAsync(string project, string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<CatalogVersion>> ListAllVersionsAsync(string project, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<FeatureUsageStatistics> GetUsageStatisticsAsync(string project, string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}

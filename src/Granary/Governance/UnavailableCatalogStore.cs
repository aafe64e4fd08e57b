using System.Diagnostics.CodeAnalysis;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Providers;
using Granary.Registry.Catalog;

namespace Granary.Governance;

/// <summary>The catalog of a registry store that keeps none (a host's own store written before catalogs): every call says so.</summary>
[SuppressMessage("Usage", ProviderDiagnostics.ExperimentalId, Justification = "The catalog store is the registry's own.")]
internal sealed class UnavailableCatalogStore(string storeType) : ICatalogStore
{
    public Task<CatalogPage> QueryCatalogAsync(string project, CatalogQuery query, CancellationToken cancellationToken = default) => throw Unavailable();

    public Task<CatalogEntry?> GetCatalogEntryAsync(string project, string name, CancellationToken cancellationToken = default) => throw Unavailable();

    public Task<bool> CreateCatalogEntryAsync(CatalogEntry entry, CatalogVersion firstVersion, CancellationToken cancellationToken = default) => throw Unavailable();

    public Task<bool> UpdateCatalogEntryAsync(CatalogEntry entry, CancellationToken cancellationToken = default) => throw Unavailable();

    public Task<bool> AddVersionAsync(CatalogVersion version, CancellationToken cancellationToken = default) => throw Unavailable();

    public Task<bool> RollbackAsync(CatalogVersion restored, SemanticVersion rolledBack, DateTimeOffset at, CancellationToken cancellationToken = default) => throw Unavailable();

    public Task<IReadOnlyList<CatalogVersion>> ListVersionsAsync(string project, string name, CancellationToken cancellationToken = default) => throw Unavailable();

    public Task<IReadOnlyList<CatalogVersion>> ListAllVersionsAsync(string project, CancellationToken cancellationToken = default) => throw Unavailable();

    public Task RecordUsageAsync(IReadOnlyList<FeatureUsage> usage, CancellationToken cancellationToken = default) => throw Unavailable();

    public Task<FeatureUsageStatistics> GetUsageStatisticsAsync(string project, string name, CancellationToken cancellationToken = default) => throw Unavailable();

    private GranaryException Unavailable() =>
        new(ErrorCodes.RegistryUnavailable, $"The registry store {storeType} keeps no feature catalog.");
}

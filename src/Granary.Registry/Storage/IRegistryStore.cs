using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;
using Granary.Registry.Catalog;
using Granary.Registry.Monitoring;

namespace Granary.Registry.Storage;

/// <summary>
/// Durable storage for registry objects, the history of applies and the governed catalog (<see cref="ICatalogStore"/>).
/// Every implementation passes the same contract suites (<c>tests/Granary.Tests/Registry/RegistryStoreContract.cs</c>
/// and <c>CatalogStoreContract.cs</c>).
/// </summary>
/// <remarks>
/// Concurrency is optimistic: each project has a version that every apply increments by one. An apply names
/// the version its plan was computed against; if another apply got there first the whole apply is rejected with
/// <see cref="Contracts.Errors.ErrorCodes.RegistryConflict"/> and nothing is written.
/// </remarks>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public interface IRegistryStore : ICatalogStore, IProfileStore, IMonitoringStore, IAsyncDisposable
{
    /// <summary>
    /// The local file the registry is kept in, or null for a registry on a database server. Until the file exists,
    /// readers see an empty registry and nothing creates it: plan, list and history change nothing on disk, and the
    /// first apply creates it. A member rather than a separate interface, so wrappers (tracing, a host's own) pass it on.
    /// </summary>
    string? FilePath => null;

    /// <summary>Creates the store's tables if they are missing. Safe to call concurrently and repeatedly.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>The project's current version; 0 for a project never applied. Cheap, for readers that poll.</summary>
    Task<long> GetVersionAsync(string project, CancellationToken cancellationToken = default);

    /// <summary>
    /// The project's version and catalog stamp, read together in one small query: what a reader's cache polls, so that
    /// it reloads after an apply or a catalog write (but not after usage records).
    /// </summary>
    Task<RegistryStamp> GetStampAsync(string project, CancellationToken cancellationToken = default);

    /// <summary>Every project applied to this registry at least once, ordered by name.</summary>
    Task<IReadOnlyList<RegistryProject>> ListProjectsAsync(CancellationToken cancellationToken = default);

    /// <summary>Every object of the project, its catalog entries and their versions, at one consistent version.</summary>
    Task<RegistrySnapshot> LoadAsync(string project, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies <paramref name="request"/> in one transaction if the project is still at
    /// <see cref="ApplyRequest.ExpectedVersion"/>, recording a history entry; returns the new version.
    /// </summary>
    Task<long> ApplyAsync(ApplyRequest request, CancellationToken cancellationToken = default);

    /// <summary>The project's applies, newest first.</summary>
    Task<IReadOnlyList<ApplyRecord>> GetHistoryAsync(string project, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>Records a training dataset, replacing any saved under the same name in the project.</summary>
    Task SaveDatasetAsync(SavedDataset dataset, CancellationToken cancellationToken = default);

    /// <summary>The project's saved datasets, ordered by name.</summary>
    Task<IReadOnlyList<SavedDataset>> ListDatasetsAsync(string project, CancellationToken cancellationToken = default);

    /// <summary>One saved dataset, or null.</summary>
    Task<SavedDataset?> GetDatasetAsync(string project, string name, CancellationToken cancellationToken = default);
}

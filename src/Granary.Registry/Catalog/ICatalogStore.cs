using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;

namespace Granary.Registry.Catalog;

/// <summary>
/// The governed catalog kept in the registry's database beside the definitions: entries, their versions and usage.
/// Every registry store implements it (SQLite and PostgreSQL alike) and passes the same contract suite.
/// </summary>
/// <remarks>
/// Writes that must not interleave are single transactions: a version insert and the entry's current version move
/// together; two concurrent inserts of the same version leave exactly one, the other told it already exists.
/// </remarks>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public interface ICatalogStore
{
    /// <summary>Entries matching <paramref name="query"/>, ordered by name, and the total matching.</summary>
    Task<CatalogPage> QueryCatalogAsync(string project, CatalogQuery query, CancellationToken cancellationToken = default);

    /// <summary>One entry, or null.</summary>
    Task<CatalogEntry?> GetCatalogEntryAsync(string project, string name, CancellationToken cancellationToken = default);

    /// <summary>Adds an entry with its first version; false (and nothing written) when the name exists.</summary>
    Task<bool> CreateCatalogEntryAsync(CatalogEntry entry, CatalogVersion firstVersion, CancellationToken cancellationToken = default);

    /// <summary>Replaces an entry's metadata, status and timestamps (not its version or usage); false when it does not exist.</summary>
    Task<bool> UpdateCatalogEntryAsync(CatalogEntry entry, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds a version and, when <see cref="CatalogVersion.Promoted"/>, makes it the entry's current one, in one
    /// transaction; false (and nothing written) when the entry already has that version.
    /// </summary>
    Task<bool> AddVersionAsync(CatalogVersion version, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds <paramref name="restored"/> (a new version restoring an older one's snapshots) as current and marks
    /// <paramref name="rolledBack"/> rolled back at <paramref name="at"/>, in one transaction; false when
    /// <paramref name="restored"/>'s version exists.
    /// </summary>
    Task<bool> RollbackAsync(CatalogVersion restored, SemanticVersion rolledBack, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>An entry's versions, newest first.</summary>
    Task<IReadOnlyList<CatalogVersion>> ListVersionsAsync(string project, string name, CancellationToken cancellationToken = default);

    /// <summary>Every version of every entry of the project (what serving pinned versions resolves from), newest first per entry.</summary>
    Task<IReadOnlyList<CatalogVersion>> ListAllVersionsAsync(string project, CancellationToken cancellationToken = default);

    /// <summary>Records usage rows in one transaction and moves each entry's usage count and last use.</summary>
    Task RecordUsageAsync(IReadOnlyList<FeatureUsage> usage, CancellationToken cancellationToken = default);

    /// <summary>What an entry's usage records add up to, computed by the database.</summary>
    Task<FeatureUsageStatistics> GetUsageStatisticsAsync(string project, string name, CancellationToken cancellationToken = default);
}

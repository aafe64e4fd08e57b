using System.Diagnostics.CodeAnalysis;
using Granary.Core.Model;
using Granary.Core.Providers;

namespace Granary.Core.Sources;

/// <summary>
/// Says when a large source lacks the index that point-in-time joins over it would use, so that <c>plan</c> can
/// name the index to create. Implemented by offline engines whose sources can have indexes (PostgreSQL).
/// </summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public interface ISourceIndexAdvisor
{
    /// <summary>
    /// The index to create on <paramref name="source"/> for lookups by <paramref name="keyColumns"/> then
    /// <paramref name="timestampColumn"/> (columns as stored), or null when the source has one, is small, or is not a
    /// table this advisor knows.
    /// </summary>
    /// <param name="source">The source to look at.</param>
    /// <param name="keyColumns">The join-key columns, in the order the view's entities list them.</param>
    /// <param name="timestampColumn">The event-time column.</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    Task<MissingIndex?> FindMissingIndexAsync(
        BatchSource source, IReadOnlyList<string> keyColumns, string timestampColumn, CancellationToken cancellationToken = default);
}

/// <summary>A large source table without an index on (join keys, event time).</summary>
/// <param name="Table">The table, as the source names it.</param>
/// <param name="EstimatedRows">The engine's estimate of the table's rows.</param>
/// <param name="CreateStatement">The statement that creates the index.</param>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public sealed record MissingIndex(string Table, long EstimatedRows, string CreateStatement);

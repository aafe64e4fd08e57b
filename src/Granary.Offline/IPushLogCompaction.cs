using System.Diagnostics.CodeAnalysis;
using Granary.Core.Model;
using Granary.Core.Providers;

namespace Granary.Offline;

/// <summary>
/// Keeps a push log's file count bounded: an engine that logs pushed rows (and stream events) as files merges them.
/// It compacts by itself once a log's parts pass a threshold; this runs a compaction now. The rows read from the
/// source are the same before and after.
/// </summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public interface IPushLogCompaction
{
    /// <summary>Merges the files rows were logged to <paramref name="source"/> in; returns how many were merged (0: nothing to merge).</summary>
    Task<int> CompactAsync(BatchSource source, string repositoryRoot, CancellationToken cancellationToken = default);
}

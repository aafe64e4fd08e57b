using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;

namespace Granary.Consistency;

/// <summary>
/// An online/offline consistency check of one feature view (<see cref="FeatureStore.ConsistencyAsync"/>): the rows of
/// its serving log served in [<see cref="Start"/>, <see cref="End"/>), re-joined offline at the served instants.
/// </summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public sealed record ConsistencyRequest
{
    /// <summary>How many logged rows one re-join takes: memory holds one chunk of logged rows, not the whole period.</summary>
    internal const int DefaultChunkRows = 50_000;

    public required string View { get; init; }

    public required DateTimeOffset Start { get; init; }

    /// <summary>The end of the served period, excluded.</summary>
    public required DateTimeOffset End { get; init; }

    /// <summary>The logged rows re-joined with one point-in-time retrieval (docs/quality.md); lowered by tests.</summary>
    internal int ChunkRows { get; init; } = DefaultChunkRows;
}

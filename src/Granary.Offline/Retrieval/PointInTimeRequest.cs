using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;

namespace Granary.Offline.Retrieval;

/// <summary>A point-in-time-correct historical retrieval: which rows, which features, and how names and time behave.</summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public sealed record PointInTimeRequest
{
    /// <summary>The entity rows; each appears exactly once in the result, in input order.</summary>
    public required EntityTable Entities { get; init; }

    /// <summary>The views and the features requested from each.</summary>
    public required IReadOnlyList<PointInTimeView> Views { get; init; }

    /// <summary>The folder relative source paths are resolved against.</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>Name feature columns <c>view__feature</c> instead of <c>feature</c>.</summary>
    public bool FullFeatureNames { get; init; }

    /// <summary>Count a source row only when its created timestamp is also at or before the entity row's time.</summary>
    public bool FilterByCreatedTimestamp { get; init; }
}

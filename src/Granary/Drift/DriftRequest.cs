using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;

namespace Granary.Drift;

/// <summary>
/// A drift check of one feature view (<see cref="FeatureStore.DriftAsync"/>): its source rows with event time in
/// [<see cref="CurrentStart"/>, <see cref="CurrentEnd"/>) (or, with <see cref="CurrentSource"/>
/// <see cref="DriftSource.Serving"/>, the values it served in that period) against exactly one baseline: a period
/// (<see cref="BaselineStart"/> and <see cref="BaselineEnd"/>), a stored profile (<see cref="BaselineProfile"/>) or a
/// saved training dataset (<see cref="BaselineDataset"/>).
/// </summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public sealed record DriftRequest
{
    public required string View { get; init; }

    public required DateTimeOffset CurrentStart { get; init; }

    /// <summary>The end of the current period, excluded.</summary>
    public required DateTimeOffset CurrentEnd { get; init; }

    /// <summary>
    /// Where the current sample comes from: the view's source rows (<see cref="DriftSource.Offline"/>, the default) or
    /// the values logged as served, by <c>served_at</c>, excluding those not found (<see cref="DriftSource.Serving"/>).
    /// </summary>
    public DriftSource CurrentSource { get; init; }

    /// <summary>The start of a baseline period, with <see cref="BaselineEnd"/>.</summary>
    public DateTimeOffset? BaselineStart { get; init; }

    /// <summary>The end of a baseline period, excluded.</summary>
    public DateTimeOffset? BaselineEnd { get; init; }

    /// <summary>The id of a stored profile of the view, whose baselines (samples and category counts) are compared with.</summary>
    public string? BaselineProfile { get; init; }

    /// <summary>The name of a saved training dataset holding the view's features, whose rows are compared with.</summary>
    public string? BaselineDataset { get; init; }

    /// <summary>The features to check; empty for every numeric, string and boolean feature of the view.</summary>
    public IReadOnlyList<string> Features { get; init; } = [];
}

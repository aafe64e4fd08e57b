using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;

namespace Granary.Consistency;

/// <summary>
/// How the values a view served in [<see cref="Start"/>, <see cref="End"/>) agree with the offline store re-joined at
/// the served instants.
/// </summary>
/// <param name="View">The feature view.</param>
/// <param name="Start">The start of the served period.</param>
/// <param name="End">The end of the served period, excluded.</param>
/// <param name="Rows">The logged served rows compared.</param>
/// <param name="Consistency">The mean of the features' <see cref="FeatureConsistency.Consistency"/> over the features
/// with something compared; null when no feature had a value on either side. This is the number an alert such as
/// <c>consistency_below</c> reads.</param>
/// <param name="Features">Per feature, in the view's schema order.</param>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public sealed record ConsistencyReport(
    string View,
    DateTimeOffset Start,
    DateTimeOffset End,
    long Rows,
    double? Consistency,
    IReadOnlyList<FeatureConsistency> Features);

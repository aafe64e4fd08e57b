namespace Granary.Experiments;

/// <summary>
/// The exposures of one experiment in a period (<c>granary experiments report NAME</c>): per variant, how many reads
/// were served and to how many distinct units, beside the declared share, and a sample ratio check of the units
/// against the declared shares.
/// </summary>
/// <param name="Experiment">The experiment's name.</param>
/// <param name="FeatureView">The feature view whose versions it compares.</param>
/// <param name="Start">The period's start, inclusive.</param>
/// <param name="End">The period's end, exclusive.</param>
/// <param name="Variants">Each declared variant in declared order, then any variant logged that is no longer declared.</param>
/// <param name="Units">Distinct units exposed in the period.</param>
/// <param name="UnitsInSeveralVariants">Units served more than one variant in the period (after the shares changed).</param>
/// <param name="SampleRatioPValue">
/// Pearson's chi-square goodness-of-fit p-value of the units per declared variant against the declared shares; a
/// small value (below 0.001, say) means the split is not what was declared: a sample ratio mismatch. Null with fewer
/// than two declared variants or no units.
/// </param>
public sealed record ExperimentReport(
    string Experiment,
    string FeatureView,
    DateTimeOffset Start,
    DateTimeOffset End,
    IReadOnlyList<VariantExposures> Variants,
    long Units,
    long UnitsInSeveralVariants,
    double? SampleRatioPValue);

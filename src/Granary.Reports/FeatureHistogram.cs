namespace Granary.Reports;

/// <summary>
/// One feature's baseline and current distributions over the same bins, as fractions of each side's values: the
/// baseline's deciles for a numeric feature (the bins PSI and the Jensen-Shannon distance use), its categories for a
/// categorical one. <see cref="Baseline"/> is empty when the baseline keeps no distribution to draw (a saved dataset).
/// </summary>
internal sealed record FeatureHistogram(string Feature, IReadOnlyList<string> Bins, IReadOnlyList<double> Baseline, IReadOnlyList<double> Current);

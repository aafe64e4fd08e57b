namespace Granary.Experiments;

/// <summary>One served read of an experiment: which unit saw which variant, and when.</summary>
/// <param name="Experiment">The experiment's name.</param>
/// <param name="UnitId">The unit the variant was assigned to.</param>
/// <param name="Variant">The variant served.</param>
/// <param name="FeatureView">The experiment's feature view.</param>
/// <param name="Version">The variant's version selector as declared (<c>v2</c>, <c>1.2.0</c>).</param>
/// <param name="ServedAt">When it was served, from the store's <see cref="TimeProvider"/>.</param>
internal sealed record Exposure(string Experiment, string UnitId, string Variant, string FeatureView, string Version, DateTimeOffset ServedAt);

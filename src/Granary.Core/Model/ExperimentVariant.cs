namespace Granary.Core.Model;

/// <summary>One arm of an <see cref="Experiment"/>: the version of the view it serves and the share of units it gets.</summary>
/// <param name="Name">The variant's name, reported in answers and exposures.</param>
/// <param name="Version">Which governance version of the experiment's view this variant reads (<c>v2</c> or <c>1.2.0</c>).</param>
/// <param name="Share">The fraction of units assigned to it, in (0, 1]; an experiment's shares sum to 1.</param>
public sealed record ExperimentVariant(string Name, FeatureVersionSelector Version, double Share);

namespace Granary.Experiments;

/// <summary>One variant's exposures in an <see cref="ExperimentReport"/>.</summary>
/// <param name="Variant">The variant's name.</param>
/// <param name="Version">Its version selector as declared (or as logged, for a variant no longer declared).</param>
/// <param name="DeclaredShare">Its declared share; null for a variant logged but no longer declared.</param>
/// <param name="Exposures">Reads served as this variant.</param>
/// <param name="Units">Distinct units served this variant.</param>
/// <param name="UnitShare">Its units over the sum of every variant's units (so the shares add up to 1; 0 when there are none).</param>
public sealed record VariantExposures(string Variant, string Version, double? DeclaredShare, long Exposures, long Units, double UnitShare);

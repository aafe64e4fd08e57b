using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;

namespace Granary.Consistency;

/// <summary>
/// The agreement of one feature between serving and the offline store. A row is <see cref="Compared"/> when at least one
/// side has a value; it is then exactly one of a match, a mismatch, missing (nothing served, offline has a value) or
/// extra (served a value, offline has none), so the rates and <see cref="Consistency"/> add up to 1.
/// </summary>
/// <param name="Name">The feature.</param>
/// <param name="Compared">Rows where serving or the offline store had a value.</param>
/// <param name="Matches">Rows where both had equal values (floating-point values within a relative 1e-9).</param>
/// <param name="Mismatches">Rows where both had a value and they differed.</param>
/// <param name="Missing">Rows served without a value where the offline store has one.</param>
/// <param name="Extra">Rows served with a value where the offline store has none.</param>
/// <param name="Examples">Up to five disagreeing rows, in the order they were served.</param>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public sealed record FeatureConsistency(
    string Name,
    long Compared,
    long Matches,
    long Mismatches,
    long Missing,
    long Extra,
    IReadOnlyList<ConsistencyExample> Examples)
{
    /// <summary>Matches over compared rows; null when nothing was compared.</summary>
    public double? Consistency => Rate(Matches);

    public double? MismatchRate => Rate(Mismatches);

    public double? MissingRate => Rate(Missing);

    public double? ExtraRate => Rate(Extra);

    private double? Rate(long count) => Compared == 0 ? null : (double)count / Compared;
}

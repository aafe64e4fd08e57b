namespace Granary.Core.Model;

/// <summary>
/// Deterministic assignment of units to experiment variants, reproducible in any language: take the SHA-256 of the
/// UTF-8 text <c>experiment + ":" + unit_id</c>, read its first 8 bytes as a big-endian unsigned integer, divide by
/// 2^64 (a position in [0, 1)), and pick the first variant, in declared order, whose cumulative share is greater than
/// the position. The last variant takes any position rounding leaves above the cumulative sum.
/// </summary>
public static class ExperimentAssignment
{
    // 2^64 as a double: exact, so the division only rounds once, in the ulong to double conversion.
    private const double TwoToThe64 = 18446744073709551616.0;

    /// <summary>The first 8 bytes of SHA-256(UTF-8 <c>experiment:unitId</c>) as a big-endian unsigned integer.</summary>
    public static ulong Bucket(string experiment, string unitId)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(unitId);
        return Values.StableHash.Of(experiment, ':', unitId);
    }

    /// <summary>The unit's position in [0, 1): <see cref="Bucket"/> / 2^64.</summary>
    public static double Position(string experiment, string unitId) => Bucket(experiment, unitId) / TwoToThe64;

    /// <summary>The variant <paramref name="unitId"/> is assigned in <paramref name="experiment"/>.</summary>
    public static ExperimentVariant Assign(Experiment experiment, string unitId)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        if (experiment.Variants.Count == 0)
        {
            throw new ArgumentException($"Experiment '{experiment.Name}' has no variants.", nameof(experiment));
        }

        var position = Position(experiment.Name, unitId);
        var cumulative = 0.0;
        foreach (var variant in experiment.Variants)
        {
            cumulative += variant.Share;
            if (position < cumulative)
            {
                return variant;
            }
        }

        return experiment.Variants[^1];
    }
}

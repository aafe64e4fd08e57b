namespace Granary.Core.Model;

/// <summary>
/// One item of the repository's <c>experiments:</c> list: an A/B test of versions of one feature view. A request that
/// names the experiment and a unit is served the view at the version of the unit's variant
/// (<see cref="ExperimentAssignment"/>).
/// </summary>
public sealed record Experiment : Definition
{
    /// <summary>The view whose versions are compared.</summary>
    public required string FeatureView { get; init; }

    /// <summary>The variants in declared order; the order matters to assignment (cumulative shares).</summary>
    public required IReadOnlyList<ExperimentVariant> Variants { get; init; }

    public override ObjectKind Kind => ObjectKind.Experiment;

    /// <summary>The variant named <paramref name="name"/>, or null.</summary>
    public ExperimentVariant? FindVariant(string name)
    {
        foreach (var v in Variants)
        {
            if (v.Name == name)
            {
                return v;
            }
        }

        return null;
    }
}

namespace Granary.Core.Model;

/// <summary>
/// Features computed when they are read, from request data and the features of other views (Feast's on-demand
/// feature view). Expressions read request fields by name and source features as <c>view.feature</c>.
/// </summary>
public sealed record OnDemandFeatureView : Definition
{
    private static readonly IReadOnlyList<Field> NoRequestData = [];

    /// <summary>The feature views whose features the expressions and functions read.</summary>
    public required IReadOnlyList<string> Sources { get; init; }

    /// <summary>The values each request brings (Feast's request source), by name and type.</summary>
    public IReadOnlyList<Field> RequestSchema { get; init; } = NoRequestData;

    public required IReadOnlyList<OnDemandFeature> Features { get; init; }

    /// <summary>
    /// The profile statistics its <c>zscore</c> and <c>minmax</c> calls read, by feature name in ordinal order: filled
    /// by plan from each source view's newest stored profile, never written in YAML; empty when nothing reads them.
    /// </summary>
    public IReadOnlyList<OnDemandStatistic> Statistics { get; init; } = [];

    /// <summary>Compute the features when source values are written and store them, rather than at every read.</summary>
    public bool WriteToOnlineStore { get; init; }

    public override ObjectKind Kind => ObjectKind.OnDemandFeatureView;

    /// <summary>The feature named <paramref name="name"/>, or null.</summary>
    public OnDemandFeature? FindFeature(string name)
    {
        foreach (var feature in Features)
        {
            if (feature.Name == name)
            {
                return feature;
            }
        }

        return null;
    }
}

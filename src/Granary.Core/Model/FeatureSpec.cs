namespace Granary.Core.Model;

/// <summary>
/// Some features of one namespace, as a recipe's <c>augmenter</c> and the augment calls name them
/// (<c>{"namespace": "user_stats", "features": ["orders_7d"]}</c>); a namespace is a feature view.
/// </summary>
/// <param name="Namespace">The feature view.</param>
/// <param name="Features">Its features, by name.</param>
public sealed record FeatureSpec(string Namespace, IReadOnlyList<string> Features)
{
    /// <summary>The <c>view:feature</c> reference of each feature, in order.</summary>
    public IEnumerable<FeatureReference> References()
    {
        foreach (var feature in Features)
        {
            yield return new FeatureReference(Namespace, feature);
        }
    }
}

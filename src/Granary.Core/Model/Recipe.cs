namespace Granary.Core.Model;

/// <summary>
/// What a model needs, as <c>recipes/&lt;name&gt;.yaml</c> declares it:
/// <c>augmenter: {type: feature_store, features: [{feature_namespace: VIEW, features: [a, b]}]}</c>. The augmenter
/// joins these features onto an entity spine (<c>granary augment</c>, <c>FeatureStore.AugmentAsync</c>); a feature
/// service can be declared from it (<c>feature_services: [{name: s, recipe: NAME}]</c>).
/// </summary>
public sealed record Recipe
{
    /// <summary>The augmenter type a recipe must have: its features come from the feature store.</summary>
    public const string FeatureStoreType = "feature_store";

    /// <summary>The recipe's name: its file's name without <c>.yaml</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The features to join, namespace (feature view) by namespace, in the order written.</summary>
    public required IReadOnlyList<FeatureSpec> Features { get; init; }

    public string Description { get; init; } = "";

    /// <summary>Every feature as a <c>view:feature</c> reference, namespace after namespace.</summary>
    public IReadOnlyList<FeatureReference> References()
    {
        var references = new List<FeatureReference>();
        foreach (var spec in Features)
        {
            references.AddRange(spec.References());
        }

        return references;
    }
}

using Granary.Augmenting;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Values;
using Granary.Historical;
using Granary.Offline.Retrieval;
using Granary.Registry.Loading;

namespace Granary;

// The augmenter: a recipe's features joined onto an entity spine, and the seed's two calls over the online store.
public sealed partial class FeatureStore
{
    /// <summary>
    /// The recipe <paramref name="nameOrPath"/> names: a name is <c>recipes/NAME.yaml</c> in this repository, anything
    /// with a slash or ending in <c>.yaml</c> a path.
    /// </summary>
    /// <exception cref="GranaryException">There is no such recipe.</exception>
    /// <exception cref="DefinitionException">The recipe has mistakes, each with its line.</exception>
    public Recipe LoadRecipe(string nameOrPath) => RecipeLoader.Load(Config.RepositoryRoot, nameOrPath);

    /// <summary>
    /// Point-in-time-correct training data: each row of <paramref name="entities"/> (the spine, passed through whole)
    /// gets the recipe's features as known at its <c>event_timestamp</c>, in columns named
    /// <c>{feature_namespace}__{feature}</c>: what <see cref="GetHistoricalFeaturesAsync"/> gives with full feature names.
    /// </summary>
    /// <exception cref="GranaryException"><see cref="Contracts.Errors.ErrorCodes.NotFound"/> naming every namespace and feature the registry does not have.</exception>
    public async Task<HistoricalFeatures> AugmentAsync(Recipe recipe, EntityTable entities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(entities);
        var registry = await GetRegistryAsync(cancellationToken);
        FeatureSpecResolver.Resolve(recipe.Features, registry, $"recipe '{recipe.Name}'");
        var references = new List<string>();
        foreach (var reference in recipe.References())
        {
            references.Add(reference.ToString());
        }

        return await GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest { Entities = entities, Features = references, FullFeatureNames = true }, cancellationToken);
    }

    /// <summary>
    /// The seed's <c>BatchGetFeatures</c>: for every row of <paramref name="entitySpine"/> (join key → value; other
    /// columns are ignored), the latest online value of each feature, as
    /// <c>{entity_key: {"namespace:feature": value}}</c> with each entity key in its canonical text form (as in the
    /// <c>{namespace}:{feature}:{entity_key}</c> address: <c>42</c>, <c>"u-42"</c>, <c>[42,"A1"]</c>). A missing value is a null <see cref="FeatureValue"/>.
    /// </summary>
    /// <exception cref="GranaryException"><see cref="Contracts.Errors.ErrorCodes.NotFound"/> naming every unknown namespace and feature; <see cref="Contracts.Errors.ErrorCodes.InvalidArgument"/> for a row without a join key.</exception>
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, FeatureValue>>> BatchGetFeaturesAsync(
        IReadOnlyList<IReadOnlyDictionary<string, object?>> entitySpine, IReadOnlyList<FeatureSpec> featureSpecs, CancellationToken cancellationToken = default)
    {
        var registry = await GetRegistryAsync(cancellationToken);
        var (request, specs) = OnlineAugmenter.Request(entitySpine, featureSpecs, registry, "entity_spine", oneRow: false);
        if (entitySpine.Count == 0)
        {
            return new Dictionary<string, IReadOnlyDictionary<string, FeatureValue>>();
        }

        var response = await GetOnlineFeaturesAsync(request, cancellationToken);
        return OnlineAugmenter.ByEntity(response, specs);
    }

    /// <summary>
    /// The seed's <c>OnlineGetFeatures</c>: the latest online value of each feature for one entity
    /// (<paramref name="entityKeys"/>: join key → value), as <c>{"namespace:feature": value}</c>; a missing value is a
    /// null <see cref="FeatureValue"/>.
    /// </summary>
    /// <exception cref="GranaryException"><see cref="Contracts.Errors.ErrorCodes.NotFound"/> naming every unknown namespace and feature; <see cref="Contracts.Errors.ErrorCodes.InvalidArgument"/> for a missing join key.</exception>
    public async Task<IReadOnlyDictionary<string, FeatureValue>> OnlineGetFeaturesAsync(
        IReadOnlyDictionary<string, object?> entityKeys, IReadOnlyList<FeatureSpec> featureSpecs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entityKeys);
        var registry = await GetRegistryAsync(cancellationToken);
        var (request, specs) = OnlineAugmenter.Request([entityKeys], featureSpecs, registry, "entity_keys", oneRow: true);
        var response = await GetOnlineFeaturesAsync(request, cancellationToken);
        return OnlineAugmenter.ForOne(response, specs);
    }
}

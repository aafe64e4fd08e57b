using Granary.Core.Errors;
using Granary.Core.Model;
using YamlDotNet.RepresentationModel;

namespace Granary.Registry.Loading;

/// <summary>
/// Reads one recipe file, <c>augmenter: {type: feature_store, features: [{feature_namespace: VIEW, features: [a, b]}]}</c>,
/// reporting each mistake at its line as the definition files' parser does. Whether the views and features exist is
/// checked against the definitions (<see cref="Validation.RecipeChecker"/>) or, for <c>granary augment</c>, the registry.
/// </summary>
internal sealed class RecipeParser(YamlReader yaml)
{
    private static readonly string[] TopLevelKeys = ["augmenter", "description"];
    private static readonly string[] AugmenterKeys = ["type", "features"];
    private static readonly string[] SpecKeys = ["feature_namespace", "features"];

    /// <summary>The recipe named <paramref name="name"/> in <paramref name="text"/>, or null when it has mistakes (each reported).</summary>
    public LoadedRecipe? Parse(string name, string text)
    {
        var mistakes = yaml.Diagnostics.Items.Count;
        var documents = yaml.ParseDocuments(text);
        if (yaml.Diagnostics.Items.Count > mistakes)
        {
            return null;
        }

        var start = new SourceLocation(yaml.File, 1, 1);
        if (documents is not [YamlMappingNode root])
        {
            yaml.Diagnostics.Add(
                Contracts.Errors.ErrorCodes.InvalidDefinition,
                $"A recipe file holds one mapping with 'augmenter: {{type: {Recipe.FeatureStoreType}, features: [...]}}'; this one has {(documents.Count == 0 ? "nothing" : documents.Count > 1 ? $"{documents.Count} documents" : "no mapping")}.",
                documents.Count > 0 ? yaml.At(documents[0]) : start);
            return null;
        }

        var label = $"recipe '{name}'";
        if (!Identifier.IsValid(name))
        {
            yaml.Error(root, $"Invalid recipe name '{name}' (the file's name): use {Identifier.Rule}.");
        }

        yaml.CheckKeys(root, label, TopLevelKeys);
        var description = yaml.OptionalString(root, "description", label) ?? "";
        if (YamlReader.Get(root, "augmenter") is not { } augmenterNode)
        {
            yaml.Error(root, $"{DefinitionFileParser.Capitalize(label)} needs 'augmenter: {{type: {Recipe.FeatureStoreType}, features: [{{feature_namespace: VIEW, features: [...]}}]}}'.");
            return null;
        }

        if (yaml.Mapping(augmenterNode, $"'augmenter' of {label}") is not { } augmenter)
        {
            return null;
        }

        yaml.CheckKeys(augmenter, $"the augmenter of {label}", AugmenterKeys);
        if (yaml.RequiredString(augmenter, "type", $"the augmenter of {label}") is { } type && type != Recipe.FeatureStoreType)
        {
            yaml.Error(YamlReader.Get(augmenter, "type")!, $"Unknown augmenter type '{type}' in {label}; expected {Recipe.FeatureStoreType}.");
        }

        var specs = new List<FeatureSpec>();
        var sites = new List<RecipeSite>();
        if (YamlReader.Get(augmenter, "features") is not { } featuresNode || featuresNode is YamlScalarNode { Value: null or "" })
        {
            yaml.Error(augmenter, $"The augmenter of {label} needs 'features: [{{feature_namespace: VIEW, features: [...]}}]'.");
        }
        else if (yaml.Sequence(featuresNode, $"'augmenter.features' of {label}") is { } items)
        {
            var seen = new HashSet<FeatureReference>();
            foreach (var item in items.Children)
            {
                if (ParseSpec(item, label, seen, sites) is { } spec)
                {
                    specs.Add(spec);
                }
            }
        }

        if (yaml.Diagnostics.Items.Count > mistakes)
        {
            return null;
        }

        return new LoadedRecipe(new Recipe { Name = name, Features = specs, Description = description }, yaml.At(root), sites);
    }

    private FeatureSpec? ParseSpec(YamlNode item, string label, HashSet<FeatureReference> seen, List<RecipeSite> sites)
    {
        if (yaml.Mapping(item, $"each item of 'augmenter.features' in {label}") is not { } map)
        {
            return null;
        }

        yaml.CheckKeys(map, $"a feature namespace of {label}", SpecKeys);
        var view = yaml.RequiredString(map, "feature_namespace", $"each item of 'augmenter.features' in {label}");
        if (view is null)
        {
            return null;
        }

        var viewNode = YamlReader.Get(map, "feature_namespace")!;
        if (!Identifier.IsValid(view))
        {
            yaml.Error(viewNode, $"Invalid feature_namespace '{view}' in {label}: a feature view's name, {Identifier.Rule}.");
            return null;
        }

        var features = new List<string>();
        foreach (var (feature, node) in yaml.StringList(map, "features", $"feature namespace '{view}' of {label}"))
        {
            if (!Identifier.IsValid(feature))
            {
                yaml.Error(node, $"Invalid feature name '{feature}' in feature namespace '{view}' of {label}: use {Identifier.Rule}.");
                continue;
            }

            var reference = new FeatureReference(view, feature);
            if (!seen.Add(reference))
            {
                yaml.Error(node, $"{DefinitionFileParser.Capitalize(label)} names '{reference}' twice.");
                continue;
            }

            features.Add(feature);
            sites.Add(new RecipeSite(reference, yaml.At(viewNode), yaml.At(node)));
        }

        if (features.Count == 0 && YamlReader.Get(map, "features") is not YamlSequenceNode { Children.Count: > 0 })
        {
            yaml.Error(map, $"Feature namespace '{view}' of {label} needs 'features: [feature, ...]'.");
            return null;
        }

        return new FeatureSpec(view, features);
    }
}

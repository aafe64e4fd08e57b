using System.Globalization;
using Granary.Core.Model;
using YamlDotNet.RepresentationModel;

namespace Granary.Registry.Loading;

/// <summary>
/// Reads the <c>experiments:</c> list: <c>{name, feature_view, variants: [{name, version, share}], description, owner,
/// tags}</c>. Shares are fractions in (0, 1] summing to 1 (within 1e-9); versions are governance selectors
/// (<c>v2</c>, <c>1.2.0</c>). Every mistake is reported at its line; an experiment with one is left out (and recorded
/// as unloaded). The view and whether its versions exist are checked once every file is read
/// (<c>DefinitionValidator</c>, <c>ExperimentVersionChecker</c>).
/// </summary>
internal sealed class ExperimentParser(YamlReader yaml, DefinitionLocations locations)
{
    /// <summary>How far the shares may sum from 1: room for decimal fractions such as 0.1 + 0.2 + 0.7.</summary>
    public const double ShareTolerance = 1e-9;

    private static readonly string[] Keys = ["name", "description", "owner", "tags", "feature_view", "variants"];

    private static readonly string[] VariantKeys = ["name", "version", "share"];

    public void Parse(YamlMappingNode root, List<Experiment> into)
    {
        if (YamlReader.Get(root, "experiments") is not { } node || node is YamlScalarNode { Value: null or "" })
        {
            return;
        }

        if (yaml.Sequence(node, "'experiments'") is not { } items)
        {
            return;
        }

        foreach (var item in items.Children)
        {
            if (yaml.Mapping(item, "each item of 'experiments'") is { } map && ParseExperiment(map) is { } experiment)
            {
                into.Add(experiment);
            }
        }
    }

    private Experiment? ParseExperiment(YamlMappingNode map)
    {
        if (yaml.RequiredString(map, "name", "an experiment") is not { } name)
        {
            return null;
        }

        var label = $"experiment '{name}'";
        var mistakes = yaml.Diagnostics.Items.Count;
        if (!Identifier.IsValid(name))
        {
            yaml.Error(YamlReader.Get(map, "name")!, $"Invalid name for {label}: use {Identifier.Rule}.");
        }

        yaml.CheckKeys(map, label, Keys);
        var view = yaml.RequiredString(map, "feature_view", label);
        var variants = Variants(map, label);
        var description = yaml.OptionalString(map, "description", label) ?? "";
        var owner = yaml.OptionalString(map, "owner", label) ?? "";
        var tags = yaml.StringMap(map, "tags", label);
        if (yaml.Diagnostics.Items.Count > mistakes || view is null || variants is null)
        {
            locations.Unloaded.Add(ObjectKind.Experiment, name);
            return null;
        }

        var experiment = new Experiment
        {
            Name = name,
            Description = description,
            Owner = owner,
            Tags = tags,
            FeatureView = view,
            Variants = [.. variants.Select(v => v.Variant)],
        };
        locations.Record(experiment, "", yaml.At(map));
        locations.Record(experiment, "feature_view", yaml.At(YamlReader.Get(map, "feature_view")!));
        for (var i = 0; i < variants.Count; i++)
        {
            locations.Record(experiment, $"variants[{i}]", yaml.At(variants[i].Node));
            locations.Record(experiment, $"variants[{i}].version", yaml.At(YamlReader.Get(variants[i].Node, "version")!));
        }

        return experiment;
    }

    private List<(ExperimentVariant Variant, YamlMappingNode Node)>? Variants(YamlMappingNode map, string label)
    {
        if (YamlReader.Get(map, "variants") is not { } node)
        {
            yaml.Error(map, $"{Capitalize(label)} needs 'variants': a list of {{name, version, share}}, at least two.");
            return null;
        }

        if (yaml.Sequence(node, $"'variants' of {label}") is not { } items)
        {
            return null;
        }

        var variants = new List<(ExperimentVariant, YamlMappingNode)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var total = 0.0;
        var complete = true;
        foreach (var item in items.Children)
        {
            if (yaml.Mapping(item, $"each variant of {label}") is not { } v)
            {
                complete = false;
                continue;
            }

            yaml.CheckKeys(v, $"a variant of {label}", VariantKeys);
            var name = yaml.RequiredString(v, "name", $"a variant of {label}");
            var what = name is null ? $"a variant of {label}" : $"variant '{name}' of {label}";
            if (name is not null && !Identifier.IsValid(name))
            {
                yaml.Error(YamlReader.Get(v, "name")!, $"Invalid name for {what}: use {Identifier.Rule}.");
            }
            else if (name is not null && !names.Add(name))
            {
                yaml.Error(YamlReader.Get(v, "name")!, $"{Capitalize(label)} has two variants named '{name}'.");
            }

            var version = Version(v, what);
            var share = Share(v, what);
            if (name is null || version is null || share is null)
            {
                complete = false;
                continue;
            }

            total += share.Value;
            variants.Add((new ExperimentVariant(name, version.Value, share.Value), v));
        }

        if (!complete)
        {
            return null;
        }

        if (variants.Count < 2)
        {
            yaml.Error(node, $"{Capitalize(label)} has {variants.Count} variant{(variants.Count == 1 ? "" : "s")}; an experiment compares at least two.");
            return null;
        }

        if (Math.Abs(total - 1.0) > ShareTolerance)
        {
            yaml.Error(node, string.Create(CultureInfo.InvariantCulture, $"The shares of the variants of {label} sum to {total:0.#########}; they must sum to 1."));
            return null;
        }

        return variants;
    }

    private FeatureVersionSelector? Version(YamlMappingNode variant, string what)
    {
        if (yaml.RequiredString(variant, "version", what) is not { } text)
        {
            return null;
        }

        if (FeatureVersionSelector.TryParse(text, out var selector))
        {
            return selector;
        }

        yaml.Error(YamlReader.Get(variant, "version")!, $"Invalid 'version' of {what}: '{text}'; expected a governance version selector such as v2 (the newest 2.x.y) or 1.2.0.");
        return null;
    }

    private double? Share(YamlMappingNode variant, string what)
    {
        if (yaml.RequiredString(variant, "share", what) is not { } text)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var share) && share is > 0 and <= 1)
        {
            return share;
        }

        yaml.Error(YamlReader.Get(variant, "share")!, $"Invalid 'share' of {what}: '{text}'; expected a fraction above 0 and at most 1, such as 0.5.");
        return null;
    }

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}

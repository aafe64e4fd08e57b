using System.Globalization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry.Loading;

namespace Granary.Registry.Building;

/// <summary>Configures an <see cref="Experiment"/>; see <see cref="RepositoryBuilder.Experiment"/>.</summary>
public sealed class ExperimentBuilder : MetadataBuilder<ExperimentBuilder>
{
    private readonly List<(string Name, string Version, double Share)> _variants = [];

    /// <summary>Adds a variant, in order: its name, the view's version it serves (<c>v2</c> or <c>1.2.0</c>) and its share.</summary>
    public ExperimentBuilder Variant(string name, string version, double share)
    {
        _variants.Add((name, version, share));
        return this;
    }

    // The YAML loader's checks, thrown at once with the caller's line.
    internal Experiment Build(string name, string featureView, SourceLocation at)
    {
        var label = $"experiment '{name}'";
        var variants = new List<ExperimentVariant>(_variants.Count);
        var total = 0.0;
        string? problem = !Identifier.IsValid(name) ? $"Invalid name for {label}: use {Identifier.Rule}."
            : !Identifier.IsValid(featureView) ? $"Invalid feature view of {label}: '{featureView}'."
            : _variants.Count < 2 ? $"The {label} has {_variants.Count} variants; an experiment compares at least two."
            : null;
        foreach (var (variant, version, share) in _variants)
        {
            if (problem is not null)
            {
                break;
            }

            problem = !Identifier.IsValid(variant) ? $"Invalid name for variant '{variant}' of {label}: use {Identifier.Rule}."
                : variants.Exists(v => v.Name == variant) ? $"The {label} has two variants named '{variant}'."
                : !FeatureVersionSelector.TryParse(version, out var selector) ? $"Invalid version of variant '{variant}' of {label}: '{version}'; expected v2 or 1.2.0."
                : share is not (> 0 and <= 1) ? string.Create(CultureInfo.InvariantCulture, $"Invalid share of variant '{variant}' of {label}: {share}; expected a fraction above 0 and at most 1.")
                : Add(variants, new ExperimentVariant(variant, selector, share));
            total += share;
        }

        if (problem is null && Math.Abs(total - 1.0) > ExperimentParser.ShareTolerance)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"The shares of the variants of {label} sum to {total:0.#########}; they must sum to 1.");
        }

        if (problem is not null)
        {
            throw new GranaryException(ErrorCodes.InvalidDefinition, $"{at}: {problem}");
        }

        return new Experiment
        {
            Name = name,
            Description = DescriptionText,
            Owner = OwnerText,
            Tags = new Dictionary<string, string>(TagMap, StringComparer.Ordinal),
            FeatureView = featureView,
            Variants = variants,
        };
    }

    private static string? Add(List<ExperimentVariant> variants, ExperimentVariant variant)
    {
        variants.Add(variant);
        return null;
    }
}

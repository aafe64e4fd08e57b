using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry.Catalog;

namespace Granary.Governance;

/// <summary>The checks and spellings of the catalog's request fields; every refusal names its field.</summary>
internal static class CatalogFields
{
    /// <summary>The categories <c>feature_type</c> accepts: the seed's six and Granary's behavioral and embedding.</summary>
    public static readonly IReadOnlyList<string> FeatureTypes =
        ["raw", "derived", "technical_indicator", "fundamental", "sentiment", "macro_economic", "behavioral", "embedding"];

    /// <summary>The environments a usage record may name.</summary>
    public static readonly IReadOnlyList<string> Environments = ["dev", "staging", "production"];

    public const string Owner = "owner";
    public const string Description = "description";
    public const string Tags = "tags";
    public const string FeatureType = "feature_type";
    public const string DataType = "data_type";
    public const string Transformation = "transformation";
    public const string ValidationRules = "validation_rules";
    public const string UpstreamFeatures = "upstream_features";

    /// <summary>A catalog name: an identifier (a bare feature or a view) or <c>view:feature</c>.</summary>
    public static bool IsName(string? name) =>
        Identifier.IsValid(name) || (name is not null && FeatureReference.TryParse(name, out var r) && r.ToString() == name);

    public static string RequireName(string? name, string field)
    {
        if (!IsName(name))
        {
            throw Invalid(field, $"'{name}' is not a catalog name; expected {Identifier.Rule}, or view:feature");
        }

        return name!;
    }

    public static string? FeatureTypeOf(string? value, string field = FeatureType)
    {
        if (value is null)
        {
            return null;
        }

        var normalized = value.Trim().ToLowerInvariant();
        foreach (var known in FeatureTypes)
        {
            if (known == normalized)
            {
                return known;
            }
        }

        throw Invalid(field, $"'{value}' is not a feature type; expected one of {string.Join(", ", FeatureTypes)}");
    }

    /// <summary>Granary's dtype spelling of the seed's words (float, integer, string, boolean, timestamp) or of a Granary dtype.</summary>
    public static string? DataTypeOf(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var normalized = value.Trim().ToLowerInvariant();
        var mapped = normalized switch
        {
            // The seed's words mean the widest type of their kind, as its Python floats and ints are.
            "float" => "float64",
            "integer" => "int64",
            "boolean" => "bool",
            "timestamp" => "unix_timestamp",
            _ => null,
        };
        if (mapped is not null)
        {
            return mapped;
        }

        if (Core.Model.FeatureType.TryParse(normalized, out var type))
        {
            return type.ToString();
        }

        throw Invalid(DataType, $"'{value}' is not a data type; expected float, integer, string, boolean, timestamp or {Core.Model.FeatureType.ValidNames}");
    }

    public static IReadOnlyList<string> TagsOf(IReadOnlyList<string> tags)
    {
        var result = new List<string>(tags.Count);
        for (var i = 0; i < tags.Count; i++)
        {
            var tag = tags[i];
            if (string.IsNullOrWhiteSpace(tag))
            {
                throw Invalid($"{Tags}[{i}]", "a tag must not be empty");
            }

            var trimmed = tag.Trim();
            if (!result.Contains(trimmed))
            {
                result.Add(trimmed);
            }
        }

        return result;
    }

    public static FeatureTransformation? TransformationOf(FeatureTransformation? transformation, string field = Transformation)
    {
        if (transformation is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(transformation.TransformationType))
        {
            throw Invalid($"{field}.transformation_type", "expected the kind of transformation, such as sql, csharp or expression");
        }

        return transformation with { TransformationType = transformation.TransformationType.Trim().ToLowerInvariant(), Code = transformation.Code ?? "" };
    }

    public static IReadOnlyList<CatalogValidationRule> RulesOf(IReadOnlyList<CatalogValidationRule> rules, string field = ValidationRules)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i] is null || string.IsNullOrWhiteSpace(rules[i].RuleType))
            {
                throw Invalid($"{field}[{i}].rule_type", "expected the rule's kind, such as range or not_null");
            }
        }

        return rules;
    }

    public static IReadOnlyList<string> UpstreamOf(IReadOnlyList<string> upstream, string entryName)
    {
        var result = new List<string>(upstream.Count);
        for (var i = 0; i < upstream.Count; i++)
        {
            var name = RequireName(upstream[i]?.Trim(), $"{UpstreamFeatures}[{i}]");
            if (name == entryName)
            {
                throw new GranaryException(ErrorCodes.Unprocessable, $"{UpstreamFeatures}[{i}]: '{name}' cannot be its own upstream (a cycle '{name}' → '{name}').");
            }

            if (!result.Contains(name))
            {
                result.Add(name);
            }
        }

        return result;
    }

    public static string EnvironmentOf(string environment, string field = "environment")
    {
        var normalized = environment.Trim().ToLowerInvariant();
        foreach (var known in Environments)
        {
            if (known == normalized)
            {
                return known;
            }
        }

        throw Invalid(field, $"'{environment}' is not an environment; expected one of {string.Join(", ", Environments)}");
    }

    public static GranaryException Invalid(string field, string problem) =>
        new(ErrorCodes.InvalidArgument, $"{field}: {problem}.");
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Granary.Registry.Catalog;

namespace Granary.Registry.Storage;

/// <summary>
/// The JSON columns of the catalog tables: an entry's <c>metadata</c> (what is not a column of its own) and
/// <c>applied_keys</c>, and a version's <c>details</c>. Parameters are written in ordinal key order so equal metadata is
/// stored alike.
/// </summary>
internal static class CatalogJson
{
    public static string SerializeMetadata(CatalogMetadata metadata) => JsonSerializer.Serialize(
        new StoredMetadata(
            metadata.Description,
            [.. metadata.Tags],
            metadata.DataType,
            ToStored(metadata.Transformation),
            ToStored(metadata.ValidationRules),
            [.. metadata.UpstreamFeatures]),
        CatalogJsonContext.Default.StoredMetadata);

    /// <summary>The metadata a row holds, with <paramref name="owner"/> and <paramref name="featureType"/> from their columns.</summary>
    public static CatalogMetadata DeserializeMetadata(string json, string owner, string? featureType)
    {
        var stored = JsonSerializer.Deserialize(json, CatalogJsonContext.Default.StoredMetadata)
            ?? throw new JsonException("The catalog metadata is null.");
        return new CatalogMetadata
        {
            Owner = owner,
            Description = stored.Description ?? "",
            Tags = stored.Tags ?? [],
            FeatureType = featureType,
            DataType = stored.DataType,
            Transformation = FromStored(stored.Transformation),
            ValidationRules = FromStored(stored.ValidationRules),
            UpstreamFeatures = stored.UpstreamFeatures ?? [],
        };
    }

    public static string SerializeKeys(IReadOnlySet<string> keys)
    {
        var sorted = keys.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        return JsonSerializer.Serialize(sorted, CatalogJsonContext.Default.StringArray);
    }

    public static IReadOnlySet<string> DeserializeKeys(string json) =>
        new HashSet<string>(JsonSerializer.Deserialize(json, CatalogJsonContext.Default.StringArray) ?? [], StringComparer.Ordinal);

    public static string SerializeDetails(CatalogVersion version) => JsonSerializer.Serialize(
        new StoredVersionDetails(
            version.Changelog,
            [.. version.BreakingChanges],
            ToStored(version.TransformationSnapshot),
            ToStored(version.ValidationSnapshot)),
        CatalogJsonContext.Default.StoredVersionDetails);

    /// <summary>Fills a version's JSON-held fields from its <c>details</c> column.</summary>
    public static CatalogVersion WithDetails(CatalogVersion version, string json)
    {
        var stored = JsonSerializer.Deserialize(json, CatalogJsonContext.Default.StoredVersionDetails)
            ?? throw new JsonException("The catalog version's details are null.");
        return version with
        {
            Changelog = stored.Changelog ?? "",
            BreakingChanges = stored.BreakingChanges ?? [],
            TransformationSnapshot = FromStored(stored.TransformationSnapshot),
            ValidationSnapshot = FromStored(stored.ValidationSnapshot),
        };
    }

    private static StoredTransformation? ToStored(FeatureTransformation? transformation) =>
        transformation is null ? null : new StoredTransformation(transformation.TransformationType, transformation.Code, Sorted(transformation.Parameters));

    private static FeatureTransformation? FromStored(StoredTransformation? stored) =>
        stored is null ? null : new FeatureTransformation(stored.TransformationType, stored.Code) { Parameters = stored.Parameters ?? [] };

    private static StoredRule[] ToStored(IReadOnlyList<CatalogValidationRule> rules)
    {
        var stored = new StoredRule[rules.Count];
        for (var i = 0; i < stored.Length; i++)
        {
            stored[i] = new StoredRule(rules[i].RuleType, Sorted(rules[i].Parameters), rules[i].IsBlocking);
        }

        return stored;
    }

    private static CatalogValidationRule[] FromStored(StoredRule[]? stored)
    {
        if (stored is null)
        {
            return [];
        }

        var rules = new CatalogValidationRule[stored.Length];
        for (var i = 0; i < rules.Length; i++)
        {
            rules[i] = new CatalogValidationRule(stored[i].RuleType, stored[i].IsBlocking) { Parameters = stored[i].Parameters ?? [] };
        }

        return rules;
    }

    // A Dictionary enumerates in insertion order while nothing is removed, so the JSON lists keys as sorted here.
    private static Dictionary<string, JsonElement> Sorted(IReadOnlyDictionary<string, JsonElement> parameters)
    {
        var keys = parameters.Keys.ToArray();
        Array.Sort(keys, StringComparer.Ordinal);
        var sorted = new Dictionary<string, JsonElement>(keys.Length, StringComparer.Ordinal);
        foreach (var key in keys)
        {
            sorted[key] = parameters[key];
        }

        return sorted;
    }
}

/// <summary>An entry's <c>metadata</c> column.</summary>
internal sealed record StoredMetadata(
    string? Description,
    string[]? Tags,
    string? DataType,
    StoredTransformation? Transformation,
    StoredRule[]? ValidationRules,
    string[]? UpstreamFeatures);

/// <summary>A transformation as stored.</summary>
internal sealed record StoredTransformation(string TransformationType, string Code, Dictionary<string, JsonElement>? Parameters);

/// <summary>A validation rule as stored: the seed's <c>{rule_type, parameters, is_blocking}</c>.</summary>
internal sealed record StoredRule(string RuleType, Dictionary<string, JsonElement>? Parameters, bool IsBlocking);

/// <summary>A version's <c>details</c> column.</summary>
internal sealed record StoredVersionDetails(
    string? Changelog,
    string[]? BreakingChanges,
    StoredTransformation? TransformationSnapshot,
    StoredRule[]? ValidationSnapshot);

/// <summary>Source-generated (reflection-free) serialization of the catalog's JSON columns.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(StoredMetadata))]
[JsonSerializable(typeof(StoredVersionDetails))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;

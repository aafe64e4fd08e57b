using System.Text.Json;
using Granary.Core.Model;
using Granary.Registry.Catalog;

namespace Granary.Registry.Governance;

/// <summary>
/// The catalog metadata the definitions set for an entry, and the merge rule of <c>apply</c>: a key the definitions
/// set overwrites the entry's and is recorded in <see cref="CatalogEntry.AppliedKeys"/>; a key recorded there that
/// the definitions no longer set is cleared; every other key (what the API set) is left as it is.
/// </summary>
internal static class GovernedMetadata
{
    public const string Owner = "owner";
    public const string Description = "description";
    public const string Tags = "tags";
    public const string FeatureType = "feature_type";
    public const string DataType = "data_type";
    public const string Transformation = "transformation";
    public const string ValidationRules = "validation_rules";
    public const string UpstreamFeatures = "upstream_features";

    private static readonly string[] AllKeys = [Owner, Description, Tags, FeatureType, DataType, Transformation, ValidationRules, UpstreamFeatures];

    /// <summary>What a view's definition sets, and which keys.</summary>
    public static (CatalogMetadata Metadata, HashSet<string> Keys) Of(FeatureView view)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var metadata = new CatalogMetadata
        {
            Owner = Set(keys, Owner, view.Owner),
            Description = Set(keys, Description, view.Description),
            Tags = TagList(keys, view.Tags),
            FeatureType = view.Category is { } c ? Add(keys, FeatureType, c) : null,
        };
        return (metadata, keys);
    }

    /// <summary>What a schema field sets, and which keys; its data type is always set.</summary>
    public static (CatalogMetadata Metadata, HashSet<string> Keys) Of(Field field)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal) { DataType };
        var metadata = new CatalogMetadata
        {
            Owner = Set(keys, Owner, field.Owner),
            Description = Set(keys, Description, field.Description),
            Tags = TagList(keys, field.Tags),
            FeatureType = field.Category is { } c ? Add(keys, FeatureType, c) : null,
            DataType = field.Type.ToString(),
            Transformation = field.Transformation is { } t ? Add(keys, Transformation, ToCatalog(t)) : null,
            ValidationRules = field.Validation.Count == 0 ? [] : Add(keys, ValidationRules, field.Validation.Select(ToCatalog).ToList()),
            UpstreamFeatures = field.UpstreamFeatures.Count == 0 ? [] : Add(keys, UpstreamFeatures, field.UpstreamFeatures.ToList()),
        };
        return (metadata, keys);
    }

    /// <summary>The merge of <paramref name="desired"/> (setting <paramref name="desiredKeys"/>) into an entry's metadata and applied keys.</summary>
    public static (CatalogMetadata Metadata, IReadOnlySet<string> AppliedKeys) Merge(
        CatalogMetadata current, IReadOnlySet<string> applied, CatalogMetadata desired, IReadOnlySet<string> desiredKeys)
    {
        var merged = current;
        var keys = new SortedSet<string>(applied, StringComparer.Ordinal);
        foreach (var key in AllKeys)
        {
            if (desiredKeys.Contains(key))
            {
                merged = Copy(merged, desired, key);
                keys.Add(key);
            }
            else if (keys.Remove(key))
            {
                merged = Copy(merged, CatalogMetadata.Empty, key);
            }
        }

        return (merged, keys);
    }

    /// <summary>Whether two metadata values are the same, comparing lists and JSON parameters by value.</summary>
    public static bool Same(CatalogMetadata a, CatalogMetadata b) =>
        a.Owner == b.Owner
        && a.Description == b.Description
        && a.Tags.SequenceEqual(b.Tags)
        && a.FeatureType == b.FeatureType
        && a.DataType == b.DataType
        && SameTransformation(a.Transformation, b.Transformation)
        && a.ValidationRules.Count == b.ValidationRules.Count
        && a.ValidationRules.Zip(b.ValidationRules).All(p => p.First.RuleType == p.Second.RuleType && p.First.IsBlocking == p.Second.IsBlocking && SameParameters(p.First.Parameters, p.Second.Parameters))
        && a.UpstreamFeatures.SequenceEqual(b.UpstreamFeatures);

    public static FeatureTransformation ToCatalog(FieldTransformation t) =>
        new(t.TransformationType, t.Code) { Parameters = new SortedDictionary<string, JsonElement>(t.Parameters.ToDictionary(), StringComparer.Ordinal) };

    /// <summary><c>rule_type</c> = the rule, <c>is_blocking</c> = severity error, parameters = the rule's other keys.</summary>
    public static CatalogValidationRule ToCatalog(FieldValidationRule r) =>
        new(r.Rule, r.Severity == ValidationSeverity.Error) { Parameters = new SortedDictionary<string, JsonElement>(r.Parameters.ToDictionary(), StringComparer.Ordinal) };

    /// <summary>A YAML tag map <c>{team: ads}</c> as the catalog's tags: <c>"team=ads"</c>, ordered by key.</summary>
    public static List<string> TagStrings(IReadOnlyDictionary<string, string> tags)
    {
        var keys = new List<string>(tags.Keys);
        keys.Sort(StringComparer.Ordinal);
        return keys.ConvertAll(k => $"{k}={tags[k]}");
    }

    private static List<string> TagList(HashSet<string> keys, IReadOnlyDictionary<string, string> tags) =>
        tags.Count == 0 ? [] : Add(keys, Tags, TagStrings(tags));

    private static string Set(HashSet<string> keys, string key, string value) => value.Length == 0 ? "" : Add(keys, key, value);

    private static T Add<T>(HashSet<string> keys, string key, T value)
    {
        keys.Add(key);
        return value;
    }

    private static CatalogMetadata Copy(CatalogMetadata into, CatalogMetadata from, string key) => key switch
    {
        Owner => into with { Owner = from.Owner },
        Description => into with { Description = from.Description },
        Tags => into with { Tags = from.Tags },
        FeatureType => into with { FeatureType = from.FeatureType },
        DataType => into with { DataType = from.DataType },
        Transformation => into with { Transformation = from.Transformation },
        ValidationRules => into with { ValidationRules = from.ValidationRules },
        UpstreamFeatures => into with { UpstreamFeatures = from.UpstreamFeatures },
        _ => into,
    };

    private static bool SameTransformation(FeatureTransformation? a, FeatureTransformation? b) =>
        a is null || b is null ? a is null && b is null
            : a.TransformationType == b.TransformationType && a.Code == b.Code && SameParameters(a.Parameters, b.Parameters);

    private static bool SameParameters(IReadOnlyDictionary<string, JsonElement> a, IReadOnlyDictionary<string, JsonElement> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var other) && JsonElement.DeepEquals(kv.Value, other));
}

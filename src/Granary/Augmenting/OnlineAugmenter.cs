using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Values;
using Granary.OnlineServing;
using Granary.Registry;

namespace Granary.Augmenting;

/// <summary>
/// The seed's two calls over the online read every store serves: <c>BatchGetFeatures</c> answers
/// <c>{entity_key: {"namespace:feature": value}}</c> and <c>OnlineGetFeatures</c> <c>{"namespace:feature": value}</c>.
/// The spine's rows become one column-major online request (one batch read), whose answer is regrouped by entity.
/// An entity key is written in its canonical text form, the one <c>{namespace}:{feature}:{entity_key}</c> addresses use
/// (<see cref="EntityKey.ToText"/>), and is each namespace's own: a row with a user and a product gives the user's
/// features under the user's key and the product's under the product's.
/// </summary>
internal static class OnlineAugmenter
{
    /// <summary>The request the rows and specs make, and per spec its join keys, checked against the registry.</summary>
    public static (OnlineFeaturesRequest Request, List<(FeatureSpec Spec, IReadOnlyList<string> JoinKeys)> Specs) Request(
        IReadOnlyList<IReadOnlyDictionary<string, object?>> rows, IReadOnlyList<FeatureSpec> specs, RegistryContents registry, string rowsName, bool oneRow)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var resolved = FeatureSpecResolver.Resolve(specs, registry, "feature_specs");
        var references = new List<string>();
        var columns = new Dictionary<string, IReadOnlyList<object?>>(StringComparer.Ordinal);
        foreach (var (spec, joinKeys) in resolved)
        {
            foreach (var feature in spec.Features)
            {
                references.Add($"{spec.Namespace}:{feature}");
            }

            foreach (var entityName in registry.Definitions.FindFeatureView(spec.Namespace)!.Entities)
            {
                if (registry.Definitions.FindEntity(entityName) is not { } entity)
                {
                    continue;
                }

                foreach (var key in entity.JoinKeys)
                {
                    if (!columns.ContainsKey(key))
                    {
                        columns[key] = Column(rows, key, entity.ValueType, spec.Namespace, rowsName, oneRow);
                    }
                }
            }
        }

        return (new OnlineFeaturesRequest { Features = references, Entities = columns, FullFeatureNames = true }, resolved);
    }

    /// <summary>Per entity key (canonical text), per <c>namespace:feature</c>, the latest value; null where there is none.</summary>
    public static Dictionary<string, IReadOnlyDictionary<string, FeatureValue>> ByEntity(
        OnlineFeaturesResponse response, List<(FeatureSpec Spec, IReadOnlyList<string> JoinKeys)> specs)
    {
        var index = ColumnIndex(response);
        var result = new Dictionary<string, IReadOnlyDictionary<string, FeatureValue>>(StringComparer.Ordinal);
        foreach (var (spec, joinKeys) in specs)
        {
            var keyColumns = new OnlineFeatureColumn[joinKeys.Count];
            for (var k = 0; k < keyColumns.Length; k++)
            {
                keyColumns[k] = response.Results[index[joinKeys[k]]];
            }

            // Names and columns once per namespace, not per row.
            var names = new string[spec.Features.Count];
            var columns = new OnlineFeatureColumn[names.Length];
            for (var f = 0; f < names.Length; f++)
            {
                names[f] = $"{spec.Namespace}:{spec.Features[f]}";
                columns[f] = response.Results[index[$"{spec.Namespace}__{spec.Features[f]}"]];
            }

            var parts = new FeatureValue[keyColumns.Length];
            for (var row = 0; row < response.RowCount; row++)
            {
                for (var k = 0; k < parts.Length; k++)
                {
                    parts[k] = keyColumns[k].Values[row];
                }

                var key = EntityKey.Create(parts).ToText();
                if (!result.TryGetValue(key, out var values))
                {
                    values = new Dictionary<string, FeatureValue>(StringComparer.Ordinal);
                    result[key] = values;
                }

                var features = (Dictionary<string, FeatureValue>)values;
                for (var f = 0; f < names.Length; f++)
                {
                    features[names[f]] = ValueAt(columns[f], row);
                }
            }
        }

        return result;
    }

    /// <summary>Per <c>namespace:feature</c>, the one entity's latest value; null where there is none.</summary>
    public static Dictionary<string, FeatureValue> ForOne(OnlineFeaturesResponse response, List<(FeatureSpec Spec, IReadOnlyList<string> JoinKeys)> specs)
    {
        var index = ColumnIndex(response);
        var result = new Dictionary<string, FeatureValue>(StringComparer.Ordinal);
        foreach (var (spec, _) in specs)
        {
            foreach (var feature in spec.Features)
            {
                result[$"{spec.Namespace}:{feature}"] = ValueAt(response.Results[index[$"{spec.Namespace}__{feature}"]], 0);
            }
        }

        return result;
    }

    private static FeatureValue ValueAt(OnlineFeatureColumn column, int row)
    {
        var value = column.Values[row];
        return column.Statuses[row] == FeatureStatus.Present ? value : FeatureValue.Null(value.Type);
    }

    private static Dictionary<string, int> ColumnIndex(OnlineFeaturesResponse response)
    {
        var index = new Dictionary<string, int>(response.FeatureNames.Count, StringComparer.Ordinal);
        for (var i = 0; i < response.FeatureNames.Count; i++)
        {
            index.TryAdd(response.FeatureNames[i], i);
        }

        return index;
    }

    // Each value is checked against the key's type here, so a mistake names the field as this call's caller wrote it.
    private static List<object?> Column(IReadOnlyList<IReadOnlyDictionary<string, object?>> rows, string key, FeatureType type, string view, string rowsName, bool oneRow)
    {
        var values = new List<object?>(rows.Count);
        for (var r = 0; r < rows.Count; r++)
        {
            var where = oneRow ? rowsName : $"{rowsName}[{r}]";
            var row = rows[r] ?? throw new GranaryException(ErrorCodes.InvalidArgument, $"{where}: expected an object of join keys, got null.");
            if (!row.TryGetValue(key, out var value) || value is null)
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, $"{where}: no value for '{key}', the join key of namespace '{view}'.");
            }

            try
            {
                EntityKey.Part(value, type);
            }
            catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, $"{where}.{key}: '{value}' is not a valid {type} key ({e.Message}).");
            }

            values.Add(value);
        }

        return values;
    }
}

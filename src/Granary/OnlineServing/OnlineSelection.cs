using Granary.Errors;
using Granary.Model;
using Granary.Values;

namespace Granary.OnlineServing;

/// <summary>
/// An online request checked and resolved: the views and feature positions to read, the output names, and the
/// entity keys per view. Every mistake in the request is reported with the field it is in.
/// </summary>
internal sealed class OnlineSelection
{
    private readonly IReadOnlyDictionary<string, IReadOnlyList<object?>> _entities;
    private readonly EntityKey?[][] _keys;

    private OnlineSelection(IReadOnlyDictionary<string, IReadOnlyList<object?>> entities, int rows, List<string> joinKeys, List<(OnlineViewPlan, IReadOnlyList<int>)> views, List<string> names, int featureCount)
    {
        _entities = entities;
        RowCount = rows;
        JoinKeys = joinKeys;
        Views = views;
        Names = names;
        FeatureCount = featureCount;
        _keys = new EntityKey?[views.Count][];
        for (var v = 0; v < views.Count; v++)
        {
            _keys[v] = new EntityKey?[rows];
        }
    }

    public int RowCount { get; }

    /// <summary>The join keys given, in request order: the first output columns.</summary>
    public IReadOnlyList<string> JoinKeys { get; }

    public IReadOnlyList<(OnlineViewPlan Plan, IReadOnlyList<int> FeatureIndexes)> Views { get; }

    /// <summary>Output names: join keys, then features.</summary>
    public IReadOnlyList<string> Names { get; }

    public int FeatureCount { get; }

    public static OnlineSelection Resolve(OnlineFeaturesRequest request, OnlinePlans plans)
    {
        var references = References(request, plans);
        if (request.Entities.Count == 0)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, "entities: give at least one join key with its values, e.g. {\"user_id\": [1, 2]}.");
        }

        var rows = -1;
        string? first = null;
        var joinKeys = new List<string>(request.Entities.Count);
        foreach (var (name, values) in request.Entities)
        {
            if (values is null)
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, $"entities.{name}: expected a list of values.");
            }

            if (rows >= 0 && values.Count != rows)
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, $"entities: lists of unequal length: '{first}' has {rows} values, '{name}' has {values.Count}.");
            }

            rows = values.Count;
            first ??= name;
            joinKeys.Add(name);
        }

        var views = new List<(OnlineViewPlan, IReadOnlyList<int>)>();
        var byView = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var names = new List<string>(joinKeys);
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var reference in references)
        {
            var plan = plans.Views.GetValueOrDefault(reference.View) ?? throw NotFound($"feature view '{reference.View}'", reference.View, plans.Views.Keys, plans);
            var index = plan.Schema.IndexOf(reference.Feature);
            if (index < 0)
            {
                var features = plan.Schema.Features.Select(f => f.Name).ToList();
                var hint = Suggestions.Closest(reference.Feature, features) is { } s ? $" Did you mean '{plan.Name}:{s}'?" : "";
                throw new GranaryException(ErrorCodes.NotFound, $"Feature view '{plan.Name}' has no feature '{reference.Feature}'.{hint}");
            }

            if (!byView.TryGetValue(plan.Name, out var indexes))
            {
                foreach (var key in plan.JoinKeys)
                {
                    if (!request.Entities.ContainsKey(key))
                    {
                        throw new GranaryException(ErrorCodes.InvalidArgument, $"entities: missing join key '{key}', needed by feature view '{plan.Name}'.");
                    }
                }

                indexes = [];
                byView[plan.Name] = indexes;
                views.Add((plan, indexes));
            }

            indexes.Add(index);
            var output = request.FullFeatureNames ? $"{plan.Name}__{reference.Feature}" : reference.Feature;
            if (!owners.TryAdd(output, plan.Name) || joinKeys.Contains(output))
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, $"Feature '{output}' would appear twice in the response; set full_feature_names to tell the views apart.");
            }
        }

        // Output order follows views in first-mention order, features in request order within each view.
        foreach (var (plan, indexes) in views)
        {
            foreach (var index in indexes)
            {
                var feature = plan.Schema.Features[index].Name;
                names.Add(request.FullFeatureNames ? $"{plan.Name}__{feature}" : feature);
            }
        }

        return new OnlineSelection(request.Entities, rows, joinKeys, views, names, references.Count);
    }

    /// <summary>The entity key of row <paramref name="row"/> for view <paramref name="view"/>, converted and checked once.</summary>
    public EntityKey EntityKey(int view, int row)
    {
        if (_keys[view][row] is { } cached)
        {
            return cached;
        }

        var plan = Views[view].Plan;
        var parts = new FeatureValue[plan.JoinKeys.Count];
        for (var k = 0; k < parts.Length; k++)
        {
            var name = plan.JoinKeys[k];
            var value = _entities[name][row];
            try
            {
                parts[k] = Values.EntityKey.Part(value, plan.KeyTypes[k]);
            }
            catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, $"entities.{name}[{row}]: {(value is null ? "null" : $"'{value}'")} is not a valid {plan.KeyTypes[k]} key ({e.Message}).");
            }
        }

        return _keys[view][row] = Values.EntityKey.Create(parts);
    }

    /// <summary>A join key's column in the response: the values as given, typed as the entity's key, PRESENT.</summary>
    public OnlineFeatureColumn KeyColumn(string joinKey)
    {
        var column = new OnlineFeatureColumn(new FeatureValue[RowCount], new FeatureStatus[RowCount], new long[RowCount]);
        for (var v = 0; v < Views.Count; v++)
        {
            var k = IndexOf(Views[v].Plan.JoinKeys, joinKey);
            if (k >= 0)
            {
                for (var r = 0; r < RowCount; r++)
                {
                    column.Values[r] = EntityKey(v, r).Parts()[k];
                }

                return column;
            }
        }

        // A join key no requested view uses is echoed as text.
        var values = _entities[joinKey];
        for (var r = 0; r < RowCount; r++)
        {
            column.Values[r] = values[r] is null
                ? FeatureValue.Null(FeatureType.String)
                : FeatureValue.String(Convert.ToString(values[r], System.Globalization.CultureInfo.InvariantCulture) ?? "");
        }

        return column;
    }

    private static int IndexOf(IReadOnlyList<string> items, string item)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] == item)
            {
                return i;
            }
        }

        return -1;
    }

    private static List<FeatureReference> References(OnlineFeaturesRequest request, OnlinePlans plans)
    {
        var hasFeatures = request.Features.Count > 0;
        if (hasFeatures == request.FeatureService is not null)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, "Name either features (view:feature, ...) or a feature_service, not both and not neither.");
        }

        if (request.FeatureService is { } serviceName)
        {
            var service = plans.Registry.Definitions.FindFeatureService(serviceName)
                ?? throw NotFound($"feature service '{serviceName}'", serviceName, plans.Registry.Definitions.FeatureServices.Select(s => s.Name), plans);
            return [.. service.Features];
        }

        var references = new List<FeatureReference>(request.Features.Count);
        for (var i = 0; i < request.Features.Count; i++)
        {
            references.Add(FeatureReference.TryParse(request.Features[i], out var r)
                ? r
                : throw new GranaryException(ErrorCodes.InvalidArgument, $"features[{i}]: '{request.Features[i]}' is not of the form view:feature."));
        }

        return references;
    }

    private static GranaryException NotFound(string what, string name, IEnumerable<string> candidates, OnlinePlans plans)
    {
        if (plans.Registry.Version == 0)
        {
            return new GranaryException(ErrorCodes.NotFound, $"The registry of project '{plans.Registry.Project}' is empty; run 'granary apply' first.");
        }

        var hint = Suggestions.Closest(name, candidates) is { } s ? $" Did you mean '{s}'?" : "";
        return new GranaryException(ErrorCodes.NotFound, $"No {what} in project '{plans.Registry.Project}'.{hint}");
    }
}

using System.Collections.Frozen;
using Granary.Core.Model;
using Granary.Core.Values;
using Granary.Quality.Expressions;
using Granary.Registry.Validation;

namespace Granary.OnDemand;

/// <summary>
/// An on-demand view compiled for one registry version: its inputs (request fields, then source features) and per
/// feature a delegate. Expressions are compiled once here to IL (<see cref="ExpressionCompiler"/>); a row then costs
/// the delegate calls and nothing else. A feature whose function is not registered keeps its error, thrown when a
/// request asks for it.
/// </summary>
internal sealed class OnDemandViewPlan
{
    private OnDemandViewPlan(OnDemandFeatureView view, OnDemandInput[] inputs, OnDemandFeaturePlan[] features, string?[] errors)
    {
        View = view;
        Inputs = inputs;
        Features = features;
        Errors = errors;
        var ordinals = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < inputs.Length; i++)
        {
            ordinals[inputs[i].Name] = i;
        }

        Ordinals = ordinals.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public OnDemandFeatureView View { get; }

    public string Name => View.Name;

    /// <summary>Request fields first (in request_schema order), then every feature of every source.</summary>
    public OnDemandInput[] Inputs { get; }

    public FrozenDictionary<string, int> Ordinals { get; }

    public OnDemandFeaturePlan[] Features { get; }

    /// <summary>Per feature, why it cannot be computed (a function not registered), or null.</summary>
    public string?[] Errors { get; }

    public int FeatureIndex(string name)
    {
        for (var i = 0; i < Features.Length; i++)
        {
            if (Features[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    public static OnDemandViewPlan For(OnDemandFeatureView view, DefinitionSet definitions, OnDemandFunctions functions)
    {
        var inputs = new List<OnDemandInput>();
        foreach (var field in view.RequestSchema)
        {
            inputs.Add(new OnDemandInput(field.Name, field.Type, null));
        }

        var columns = OnDemandViewChecker.Columns(view, definitions);
        foreach (var (name, type) in columns)
        {
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0)
            {
                inputs.Add(new OnDemandInput(name, type, new FeatureReference(name[..dot], name[(dot + 1)..])));
            }
        }

        var ordinals = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < inputs.Count; i++)
        {
            ordinals[inputs[i].Name] = i;
        }

        var all = new int[inputs.Count];
        for (var i = 0; i < all.Length; i++)
        {
            all[i] = i;
        }

        var statistics = OnDemandStatisticsResolver.ForBinding(view);
        var features = new OnDemandFeaturePlan[view.Features.Count];
        var errors = new string?[view.Features.Count];
        for (var f = 0; f < features.Length; f++)
        {
            var feature = view.Features[f];
            if (feature.Expression is { } text)
            {
                var bound = BoundExpression.Bind(text, columns, onDemand: true, statistics);
                var map = new int[bound.Columns.Count];
                for (var c = 0; c < map.Length; c++)
                {
                    map[c] = ordinals[bound.Columns[c].Name];
                }

                features[f] = new OnDemandFeaturePlan(feature.Name, feature.Type, Compile(bound, map, feature.Type), map);
            }
            else if (functions.Find(feature.Function!) is { } function)
            {
                var type = feature.Type;
                features[f] = new OnDemandFeaturePlan(feature.Name, type, (_, row) => function(row) is var value && value.IsNull ? FeatureValue.Null(type) : value, all);
            }
            else
            {
                var known = string.Join(", ", functions.Names);
                errors[f] = $"Feature '{view.Name}:{feature.Name}' is computed by function '{feature.Function}', which is not registered here; "
                    + $"register it with FeatureStoreBuilder.AddOnDemandFunction(\"{feature.Function}\", ...){(known.Length == 0 ? "" : $" (registered: {known})")}.";
                features[f] = new OnDemandFeaturePlan(feature.Name, feature.Type, static (_, _) => throw new InvalidOperationException("An unregistered function was called."), all);
            }
        }

        return new OnDemandViewPlan(view, [.. inputs], features, errors);
    }

    private static Func<OnDemandRow, OnDemandInputs, FeatureValue> Compile(BoundExpression bound, int[] map, FeatureType type)
    {
        switch (bound.Type)
        {
            case ExpressionValueType.Int:
                var integer = ExpressionCompiler.Compile<long?>(bound);
                return (row, _) =>
                {
                    row.Map = map;
                    return OnDemandValues.FromInt64(integer(row), type);
                };
            case ExpressionValueType.String:
                var text = ExpressionCompiler.Compile<string>(bound);
                return (row, _) =>
                {
                    row.Map = map;
                    return text(row) is { } s ? FeatureValue.String(s) : FeatureValue.Null(type);
                };
            case ExpressionValueType.IntList:
                var indicators = ExpressionCompiler.Compile<int[]>(bound);
                return (row, _) =>
                {
                    row.Map = map;
                    return OnDemandValues.FromIntList(indicators(row), type);
                };
            case ExpressionValueType.FloatList:
                var vector = ExpressionCompiler.Compile<Array>(bound);
                return (row, _) =>
                {
                    row.Map = map;
                    return OnDemandValues.FromFloatList(vector(row), type);
                };
            case ExpressionValueType.Bool:
                var condition = ExpressionCompiler.Compile<bool?>(bound);
                return (row, _) =>
                {
                    row.Map = map;
                    return condition(row) is { } b ? FeatureValue.Bool(b) : FeatureValue.Null(type);
                };
            default:
                var number = ExpressionCompiler.Compile<double?>(bound);
                return (row, _) =>
                {
                    row.Map = map;
                    return OnDemandValues.FromDouble(number(row), type);
                };
        }
    }
}

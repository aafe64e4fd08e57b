using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Quality.Expressions;
using Granary.Registry.Loading;

namespace Granary.Registry.Validation;

/// <summary>
/// Checks on-demand feature views against the completed feature views: every source is a feature view, no name is
/// both an on-demand and a feature view (a reference <c>name:feature</c> must mean one thing), and every expression
/// binds against the request fields and the sources' features (<c>view.feature</c>) and computes its declared dtype.
/// Functions are checked by name where they are registered, when the feature store is built and when a feature is read.
/// </summary>
internal sealed class OnDemandViewChecker(DefinitionLocations locations, DiagnosticBag diagnostics)
{
    public void Check(DefinitionSet completed)
    {
        var seen = new Dictionary<string, OnDemandFeatureView>(StringComparer.Ordinal);
        foreach (var view in completed.OnDemandFeatureViews)
        {
            if (!seen.TryAdd(view.Name, view))
            {
                var where = locations.Of(seen[view.Name]) is { } at ? $" (first defined at {at})" : "";
                Report(ErrorCodes.DuplicateName, $"Duplicate on-demand feature view '{view.Name}'{where}.", view, "name");
                continue;
            }

            Check(view, completed);
        }
    }

    /// <summary>The columns an on-demand view's expressions read: request fields by name, source features as <c>view.feature</c>.</summary>
    internal static Dictionary<string, FeatureType> Columns(OnDemandFeatureView view, DefinitionSet definitions)
    {
        var columns = new Dictionary<string, FeatureType>(StringComparer.Ordinal);
        foreach (var field in view.RequestSchema)
        {
            columns[field.Name] = field.Type;
        }

        foreach (var source in view.Sources)
        {
            if (definitions.FindFeatureView(source) is not { } sourceView)
            {
                continue;
            }

            var joinKeys = new HashSet<string>(definitions.JoinKeysOf(sourceView), StringComparer.Ordinal);
            foreach (var field in sourceView.FeaturesExcluding(joinKeys))
            {
                columns[$"{source}.{field.Name}"] = field.Type;
            }
        }

        return columns;
    }

    /// <summary>Whether an expression of <paramref name="computed"/> type may fill a feature of <paramref name="declared"/> dtype.</summary>
    internal static bool Fits(ExpressionValueType computed, FeatureType declared) => computed switch
    {
        ExpressionValueType.Null => !declared.IsList,
        ExpressionValueType.Int => declared is { IsList: false, Kind: ScalarKind.Int32 or ScalarKind.Int64 or ScalarKind.Float32 or ScalarKind.Float64 },
        ExpressionValueType.Float => declared is { IsList: false, Kind: ScalarKind.Float32 or ScalarKind.Float64 },
        ExpressionValueType.String => declared is { IsList: false, Kind: ScalarKind.String },
        ExpressionValueType.IntList => declared is { IsList: true, Kind: ScalarKind.Int32 or ScalarKind.Int64 },
        ExpressionValueType.FloatList => declared is { IsList: true, Kind: ScalarKind.Float32 or ScalarKind.Float64 },
        _ => declared is { IsList: false, Kind: ScalarKind.Bool },
    };

    private void Check(OnDemandFeatureView view, DefinitionSet completed)
    {
        var label = $"On-demand feature view '{view.Name}'";
        if (completed.FindFeatureView(view.Name) is not null)
        {
            Report(ErrorCodes.DuplicateName, $"{label} has the name of a feature view; '{view.Name}:feature' must name one of them. Rename one.", view, "name");
        }

        if (view.Sources.Count == 0 && view.RequestSchema.Count == 0)
        {
            Report(ErrorCodes.InvalidDefinition, $"{label} reads nothing: give 'sources' (feature views) or a 'request_schema'.", view, "sources");
        }

        if (view.WriteToOnlineStore)
        {
            diagnostics.AddWarning(
                ErrorCodes.InvalidDefinition,
                $"{label} has write_to_online_store: true, which is not acted on yet: its features are computed when they are read, not stored when source values are written.",
                locations.Of(view, "write_to_online_store"));
        }

        var sourcesKnown = true;
        for (var i = 0; i < view.Sources.Count; i++)
        {
            var source = view.Sources[i];
            if (completed.FindFeatureView(source) is null)
            {
                if (!locations.Unloaded.Contains(ObjectKind.FeatureView, source))
                {
                    var viewNames = new List<string>();
                    foreach (var v in completed.FeatureViews)
                    {
                        viewNames.Add(v.Name);
                    }

                    var hint = Suggestions.Closest(source, viewNames) is { } s ? $" (did you mean '{s}'?)" : "";
                    Report(ErrorCodes.UnknownReference, $"{label} reads feature view '{source}', which is not defined{hint}.", view, $"sources[{i}]");
                }

                sourcesKnown = false;
            }
        }

        var columns = Columns(view, completed);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < view.Features.Count; i++)
        {
            var feature = view.Features[i];
            if (!names.Add(feature.Name))
            {
                Report(ErrorCodes.DuplicateName, $"{label} defines feature '{feature.Name}' twice.", view, $"features[{i}].name");
            }

            if (feature.Expression is not { } text || !sourcesKnown)
            {
                // A missing source is reported once; its columns would only repeat it as unknown columns.
                continue;
            }

            try
            {
                var bound = BoundExpression.Bind(text, columns, onDemand: true);
                if (!Fits(bound.Type, feature.Type))
                {
                    Report(ErrorCodes.InvalidDefinition, $"{label}: the expression of feature '{feature.Name}' computes a {ExpressionBinder.Describe(bound.Type)}, but its dtype is {feature.Type}.", view, $"features[{i}].expr");
                }
            }
            catch (ExpressionException e)
            {
                Report(ErrorCodes.InvalidDefinition, $"{label}: the expression of feature '{feature.Name}' is wrong at column {e.Column}: {e.Problem}.", view, $"features[{i}].expr");
            }
        }
    }

    private void Report(string code, string message, Definition definition, string path) =>
        diagnostics.Add(code, message, locations.Of(definition, path));
}

using Granary.Core.Model;

namespace Granary.Streaming.Definitions;

/// <summary>
/// Completes a stream feature view once its event columns' types are known: <see cref="StreamSettings.Inputs"/>
/// holds the columns the aggregations read and <see cref="FeatureView.Schema"/> the features they produce, so every
/// other part of Granary (feature services, online plans, training data, Feast's metadata) sees an ordinary view.
/// </summary>
internal static class StreamViewResolver
{
    /// <exception cref="StreamDefinitionException">The aggregations are not valid; the message says why and where.</exception>
    public static FeatureView Resolve(FeatureView view, Func<string, FeatureType?> columnType)
    {
        ArgumentNullException.ThrowIfNull(view);
        var settings = view.Stream ?? throw new ArgumentException($"Feature view '{view.Name}' is not a stream feature view.", nameof(view));
        var plan = StreamPlanCompiler.Compile(settings, columnType);

        var inputs = new Field[plan.Columns.Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            // A declared event column keeps its validation rules (judged at stream ingest) with the type found.
            inputs[i] = new Field(plan.Columns[i], columnType(plan.Columns[i])!.Value) { Validation = Declared(settings.Inputs, plan.Columns[i])?.Validation ?? [] };
        }

        var schema = new Field[plan.Features.Count];
        for (var i = 0; i < schema.Length; i++)
        {
            schema[i] = new Field(plan.Features[i].Name, plan.Features[i].Type);
        }

        return view with { Schema = schema, Stream = settings with { Inputs = inputs } };
    }

    private static Field? Declared(IReadOnlyList<Field> declared, string name)
    {
        foreach (var field in declared)
        {
            if (field.Name == name)
            {
                return field;
            }
        }

        return null;
    }
}

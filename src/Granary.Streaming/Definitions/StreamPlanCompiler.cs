using Granary.Core.Model;
using Granary.Streaming.Aggregation;

namespace Granary.Streaming.Definitions;

/// <summary>
/// Compiles a stream feature view's <see cref="StreamSettings"/> into the <see cref="AggregationPlan"/> that the
/// online path, the offline queries and validation all use, so the three agree on names, types and windows.
/// </summary>
internal static class StreamPlanCompiler
{
    /// <summary>The plan of a view whose <see cref="StreamSettings.Inputs"/> type its columns.</summary>
    /// <exception cref="StreamDefinitionException">The aggregations are not valid; the message says why and where.</exception>
    public static AggregationPlan Compile(StreamSettings settings) => Compile(settings, column =>
    {
        foreach (var input in settings.Inputs)
        {
            if (input.Name == column)
            {
                return input.Type;
            }
        }

        return null;
    });

    /// <summary>The plan, with <paramref name="columnType"/> giving each event column's type (null: no such column).</summary>
    /// <exception cref="StreamDefinitionException">The aggregations are not valid; the message says why and where.</exception>
    public static AggregationPlan Compile(StreamSettings settings, Func<string, FeatureType?> columnType)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Aggregations.Count == 0)
        {
            throw new StreamDefinitionException("aggregations", "A stream feature view needs at least one aggregation.");
        }

        if (settings.AllowedLateness < TimeSpan.Zero)
        {
            throw new StreamDefinitionException("allowed_lateness", "allowed_lateness cannot be negative.");
        }

        var specs = new List<AggregationSpec>(settings.Aggregations.Count);
        for (var i = 0; i < settings.Aggregations.Count; i++)
        {
            specs.Add(CompileOne(settings, settings.Aggregations[i], $"aggregations[{i}]", columnType));
        }

        try
        {
            return new AggregationPlan(specs);
        }
        catch (ArgumentException e)
        {
            throw new StreamDefinitionException("aggregations", StripParameter(e));
        }
    }

    private static AggregationSpec CompileOne(
        StreamSettings settings, StreamAggregation definition, string path, Func<string, FeatureType?> columnType)
    {
        if (!AggregationFunctions.TryParse(definition.Function, out var function))
        {
            throw new StreamDefinitionException(
                $"{path}.function",
                $"Unknown aggregation function '{definition.Function}'; the functions are {string.Join(", ", AggregationFunctions.All)}.");
        }

        FeatureType? inputType = null;
        if (definition.Column is { } column)
        {
            inputType = columnType(column)
                ?? throw new StreamDefinitionException($"{path}.column", $"The events have no column '{column}'.");
        }

        Aggregation.Aggregation aggregation;
        try
        {
            aggregation = Aggregation.Aggregation.Create(function, definition.Column, inputType, definition.K, definition.Percentiles);
        }
        catch (ArgumentException e)
        {
            throw new StreamDefinitionException(path, StripParameter(e));
        }

        if (definition.Windows.Count == 0)
        {
            throw new StreamDefinitionException($"{path}.windows", $"{definition.Function} has no windows.");
        }

        var windows = new List<Window>(definition.Windows.Count);
        for (var w = 0; w < definition.Windows.Count; w++)
        {
            var window = definition.Windows[w];
            if (window.IsLifetime)
            {
                windows.Add(Window.Lifetime);
                continue;
            }

            if (window.Length < TimeSpan.Zero)
            {
                throw new StreamDefinitionException($"{path}.windows[{w}]", "A window's length cannot be negative.");
            }

            try
            {
                windows.Add(Window.Sliding(window.Length, window.Hop ?? settings.Hop));
            }
            catch (ArgumentException e)
            {
                throw new StreamDefinitionException($"{path}.windows[{w}]", StripParameter(e));
            }
        }

        return new AggregationSpec(aggregation, windows, definition.Name);
    }

    /// <summary>The message without the " (Parameter 'x')" suffix, which names our code rather than the definition.</summary>
    private static string StripParameter(ArgumentException e)
    {
        var message = e.Message;
        var suffix = e.ParamName is null ? -1 : message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return suffix >= 0 ? message[..suffix] : message;
    }
}

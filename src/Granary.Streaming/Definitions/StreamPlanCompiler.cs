using Granary.Core.Model;
using Granary.Core.Time;
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

        // Parameters another function would silently ignore are mistakes: the definition would not mean what it says.
        if (definition.K != 0 && function != AggregationFunction.LastK)
        {
            throw new StreamDefinitionException($"{path}.k", $"k is for last_k; {definition.Function} has no k.");
        }

        if (definition.Percentiles.Count > 0 && function != AggregationFunction.ApproxPercentile)
        {
            throw new StreamDefinitionException($"{path}.percentiles", $"percentiles are for approx_percentile; {definition.Function} has none.");
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

            if (window.Hop is null && settings.Hop <= TimeSpan.Zero)
            {
                throw new StreamDefinitionException(
                    $"{path}.windows[{w}]",
                    $"The window {Durations.Format(window.Length)} has no hop: give the view a 'hop' (the default of every window) or write {{window: {Durations.Format(window.Length)}, hop: 1m}}.");
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

        if (definition.Name is { } name && (windows.Count != 1 || aggregation.Outputs != 1))
        {
            throw new StreamDefinitionException(
                $"{path}.name",
                $"name '{name}' is for an aggregation with one window and one output; this one has {windows.Count * aggregation.Outputs}.");
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

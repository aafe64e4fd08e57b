using Granary.Core.Model;
using Granary.Streaming.Aggregation;
using Granary.Streaming.Definitions;

namespace Granary.Streaming.Ingest;

/// <summary>
/// One stream view as ingestion sees it: its name, its compiled plan, how late an event may be, and for how long
/// event ids are remembered (the largest finite window plus the allowed lateness; see <see cref="StreamKeyState"/>).
/// </summary>
internal sealed record StreamViewTarget(string View, AggregationPlan Plan, long LatenessMicros, long IdHorizonMicros, string? EventIdField)
{
    /// <summary>The target of a resolved stream view (its <see cref="StreamSettings.Inputs"/> filled).</summary>
    /// <exception cref="StreamDefinitionException">The view's aggregations are not valid.</exception>
    public static StreamViewTarget For(FeatureView view) => For(view, StreamPlanCompiler.Compile(
        view.Stream ?? throw new ArgumentException($"Feature view '{view.Name}' is not a stream feature view.", nameof(view))));

    /// <summary>The target of <paramref name="view"/> with its plan already compiled.</summary>
    public static StreamViewTarget For(FeatureView view, AggregationPlan plan)
    {
        var settings = view.Stream ?? throw new ArgumentException($"Feature view '{view.Name}' is not a stream feature view.", nameof(view));
        var lateness = settings.AllowedLateness.Ticks / TimeSpan.TicksPerMicrosecond;
        long widest = 0;
        foreach (var series in plan.Series)
        {
            widest = Math.Max(widest, series.LongestWindowMicros);
        }

        return new StreamViewTarget(view.Name, plan, lateness, widest + lateness, settings.EventIdField);
    }
}

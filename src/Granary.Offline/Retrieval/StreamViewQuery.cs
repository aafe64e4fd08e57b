using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Streaming.Aggregation;
using Granary.Streaming.Definitions;

namespace Granary.Offline.Retrieval;

/// <summary>
/// What a stream feature view of a <see cref="PointInTimeRequest"/> asks of an engine: the view's aggregation plan
/// (compiled by the same <see cref="StreamPlanCompiler"/> the online path uses, so both agree on names, types and
/// windows), the requested features in output order, and how far back from an entity row's instant any of them
/// reads, which bounds the join of entity rows to events.
/// </summary>
internal sealed class StreamViewQuery
{
    private StreamViewQuery(PointInTimeView view, AggregationPlan plan, IReadOnlyList<StreamFeature> features, long? reachMicros, long ttlMicros)
    {
        View = view;
        Plan = plan;
        Features = features;
        ReachMicros = reachMicros;
        TtlMicros = ttlMicros;
    }

    public PointInTimeView View { get; }

    public AggregationPlan Plan { get; }

    /// <summary>The requested features, in the order of <see cref="PointInTimeView.Features"/>.</summary>
    public IReadOnlyList<StreamFeature> Features { get; }

    /// <summary>
    /// How long before an entity row's instant the oldest event any requested feature (or the ttl) reads may be;
    /// null when one is a <c>lifetime</c> window, which reads every earlier event.
    /// </summary>
    public long? ReachMicros { get; }

    /// <summary>The view's ttl in microseconds; 0 when it has none.</summary>
    public long TtlMicros { get; }

    /// <summary>The event column that marks a redelivered event (counted once); null when events carry no id.</summary>
    public string? EventIdField => View.View.Stream!.EventIdField;

    /// <summary>The event columns the requested features read, each once.</summary>
    public IReadOnlyList<string> Columns
    {
        get
        {
            var columns = new List<string>();
            foreach (var feature in Features)
            {
                if (Plan.Aggregations[feature.AggregationIndex].Column is { } column && !columns.Contains(column))
                {
                    columns.Add(column);
                }
            }

            return columns;
        }
    }

    /// <summary>The stream part of <paramref name="view"/>, or null when it is a view of stored values.</summary>
    /// <exception cref="GranaryException">The view's aggregations do not compile, or a requested feature is not one of them.</exception>
    public static StreamViewQuery? Of(PointInTimeView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (view.View.Stream is not { } settings)
        {
            return null;
        }

        AggregationPlan plan;
        try
        {
            plan = StreamPlanCompiler.Compile(settings);
        }
        catch (StreamDefinitionException e)
        {
            throw new GranaryException(ErrorCodes.InvalidDefinition, $"Stream feature view '{view.View.Name}', {e.Path}: {e.Message}", e);
        }

        var features = new List<StreamFeature>(view.Features.Count);
        foreach (var name in view.Features)
        {
            features.Add(Find(plan, name) ?? throw new GranaryException(
                ErrorCodes.NotFound,
                $"Stream feature view '{view.View.Name}' has no feature '{name}'; it has {string.Join(", ", plan.Features.Select(f => f.Name))}."));
        }

        var ttl = view.View.Ttl > TimeSpan.Zero ? view.View.Ttl.Ticks / TimeSpan.TicksPerMicrosecond : 0;
        return new StreamViewQuery(view, plan, features, Reach(features, ttl), ttl);
    }

    private static StreamFeature? Find(AggregationPlan plan, string name)
    {
        foreach (var feature in plan.Features)
        {
            if (feature.Name == name)
            {
                return feature;
            }
        }

        return null;
    }

    // Every window starts after t - (W + h) at the latest, and the ttl looks at events no older than t - ttl.
    private static long? Reach(IReadOnlyList<StreamFeature> features, long ttlMicros)
    {
        var reach = ttlMicros;
        foreach (var feature in features)
        {
            if (feature.Window.IsLifetime)
            {
                return null;
            }

            reach = Math.Max(reach, feature.Window.LengthMicros + feature.Window.HopMicros);
        }

        return reach;
    }
}

using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Historical;
using Granary.OnlineServing;
using Granary.Registry;
using Granary.Resolution;
using Granary.Streaming.Definitions;
using Granary.Streaming.Sources;

namespace Granary.Streams;

/// <summary>
/// One <c>redis_stream</c> or <c>nats</c> source and what its events feed: the stream views over it (all of them,
/// whichever were selected, since one verdict per event must hold for every view of a source and its log), each
/// view's message shape, and the batch source its events are logged to.
/// </summary>
/// <param name="Source">The stream source.</param>
/// <param name="Log">Its batch source as training data reads it (<see cref="StreamEventLog"/>).</param>
/// <param name="LogTimestampFields">The columns that get an event's time in the log: the stream source's timestamp field and, when it differs, the batch source's own.</param>
/// <param name="Views">The stream views over the source, in definition order.</param>
/// <param name="Shapes">Each view's message shape, in the same order.</param>
internal sealed record StreamFeed(StreamSource Source, BatchSource Log, IReadOnlyList<string> LogTimestampFields, IReadOnlyList<OnlineViewPlan> Views, IReadOnlyList<StreamEventShape> Shapes)
{
    /// <summary>The views' names, comma-separated, for messages and logs.</summary>
    public string ViewNames { get; } = string.Join(", ", Views.Select(v => v.Name));

    /// <summary>
    /// The feeds of <paramref name="viewNames"/> (every stream view over a stream source when null or empty), in
    /// source order. Every name is checked before anything runs: an unknown view, a view that is not a stream view,
    /// and a stream view fed by push (nothing to consume) are each refused with the name in the message.
    /// </summary>
    public static IReadOnlyList<StreamFeed> Of(RegistryContents registry, IReadOnlyList<string>? viewNames)
    {
        var resolution = RegistryResolution.Of(registry);
        var definitions = registry.Definitions;
        var sources = new List<StreamSource>();
        if (viewNames is null || viewNames.Count == 0)
        {
            foreach (var view in definitions.FeatureViews)
            {
                if (view.Stream is not null && definitions.FindSource(view.Source) is StreamSource source && !sources.Contains(source))
                {
                    sources.Add(source);
                }
            }

            if (sources.Count == 0)
            {
                throw new GranaryException(ErrorCodes.NotFound, registry.Version == 0
                    ? "The registry is empty; run 'granary apply' first."
                    : "No stream feature view reads a redis_stream or nats source: there is nothing to consume (push sources take their events through push).");
            }
        }
        else
        {
            foreach (var name in viewNames)
            {
                var source = SourceOf(resolution.View(name).View, definitions);
                if (!sources.Contains(source))
                {
                    sources.Add(source);
                }
            }
        }

        var feeds = new List<StreamFeed>(sources.Count);
        foreach (var source in sources)
        {
            feeds.Add(For(source, resolution));
        }

        return feeds;
    }

    /// <summary>The stream source a consumer reads for <paramref name="view"/>: refused for any other kind of view.</summary>
    public static StreamSource SourceOf(FeatureView view, DefinitionSet definitions) =>
        view.Stream is null
            ? throw new GranaryException(ErrorCodes.InvalidArgument, $"Feature view '{view.Name}' is not a stream feature view: it has no stream to consume or reset.")
            : definitions.FindSource(view.Source) switch
            {
                StreamSource stream => stream,
                PushSource push => throw new GranaryException(
                    ErrorCodes.InvalidArgument,
                    $"Stream feature view '{view.Name}' reads push source '{push.Name}': its events arrive through push (/push, the C# API), so there is no consumer to run or reset."),
                { } other => throw new GranaryException(ErrorCodes.InvalidDefinition, $"Stream feature view '{view.Name}' reads {other.SourceType} source '{other.Name}', which is not a stream."),
                null => throw RegistryResolution.SourceError($"Feature view '{view.Name}' reads source '{view.Source}', which is not in the registry."),
            };

    private static StreamFeed For(StreamSource source, RegistryResolution resolution)
    {
        var definitions = resolution.Definitions;
        var views = new List<OnlineViewPlan>();
        var shapes = new List<StreamEventShape>();
        foreach (var view in definitions.FeatureViews)
        {
            if (view.Stream is null || view.Source != source.Name)
            {
                continue;
            }

            views.Add(resolution.View(view.Name));
            try
            {
                shapes.Add(StreamEventShape.For(view, definitions));
            }
            catch (StreamDefinitionException e)
            {
                throw new GranaryException(ErrorCodes.InvalidDefinition, $"Stream feature view '{view.Name}', {e.Path}: {e.Message}", e);
            }
        }

        var log = StreamEventLog.Of(definitions, views[0].View);
        var own = definitions.FindSource(source.BatchSourceName) is BatchSource batch ? batch.TimestampField : log.TimestampField;
        string[] timestamps = own == log.TimestampField ? [log.TimestampField] : [log.TimestampField, own];
        return new StreamFeed(source, log, timestamps, views, shapes);
    }
}

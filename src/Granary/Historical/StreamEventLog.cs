using Granary.Core.Model;
using Granary.Core.Sources;
using Granary.Resolution;

namespace Granary.Historical;

/// <summary>
/// Where a stream feature view's events are logged, as training data reads them: the batch source of its push source
/// (<c>batch_source</c>) or of its <c>redis_stream</c> or <c>nats</c> source (<see cref="StreamSource.BatchSourceName"/>),
/// with the events' time column (<see cref="StreamSource.TimestampField"/> when the stream source names one, else the
/// batch source's own timestamp field) as its timestamp field, so that an engine reads the log as any source.
/// </summary>
internal static class StreamEventLog
{
    /// <summary>The event log of stream view <paramref name="view"/>; a <see cref="Core.Errors.GranaryException"/> naming the source at fault when there is none.</summary>
    public static BatchSource Of(DefinitionSet definitions, FeatureView view)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(view);
        switch (definitions.FindSource(view.Source))
        {
            case PushSource push:
                return BatchSources.OfPushSource(definitions, push, out var problem) ?? throw RegistryResolution.SourceError(problem!);
            case StreamSource stream:
                var batch = definitions.FindSource(stream.BatchSourceName) switch
                {
                    BatchSource b => b,
                    { } other => throw RegistryResolution.SourceError(
                        $"Stream source '{stream.Name}' names batch_source '{other.Name}', a {other.SourceType} source; it must be a file or postgres source."),
                    null => throw RegistryResolution.SourceError(
                        $"Stream source '{stream.Name}' names batch_source '{stream.BatchSourceName}', which is not in the registry."),
                };
                return stream.TimestampField is { Length: > 0 } time ? batch with { TimestampField = time } : batch;
            case BatchSource batchSource:
                return batchSource;
            case { } other:
                throw RegistryResolution.SourceError($"Stream feature view '{view.Name}' reads {other.SourceType} source '{other.Name}', which logs no events.");
            default:
                throw RegistryResolution.SourceError($"Feature view '{view.Name}' reads source '{view.Source}', which is not in the registry.");
        }
    }
}

using Granary.Backfill;
using Granary.Contracts.Errors;
using Granary.Core.Diagnostics;
using Granary.Core.Errors;
using Granary.Diagnostics;
using Granary.Historical;
using Granary.Offline;
using Granary.OnlineServing;
using Granary.Resolution;

namespace Granary;

// Backfill: a stream view's online aggregate state computed from its logged events.
public sealed partial class FeatureStore
{
    /// <summary>
    /// Computes the aggregate state of stream feature view <paramref name="view"/> from its logged events with an event
    /// time in [<paramref name="start"/>, <paramref name="end"/>] and loads it into the online store, replacing each
    /// key's state, so that a new view, or new aggregations of a live one, serve at once (docs/streaming.md, "Backfill").
    /// A repeated event id counts once per key, as online; the source's watermark moves to the newest backfilled event.
    /// </summary>
    /// <param name="view">The stream feature view.</param>
    /// <param name="start">The earliest event time counted (inclusive); a view without a lifetime window reads only what its windows at <paramref name="end"/> reach.</param>
    /// <param name="end">The latest event time counted (inclusive); at or after the source's watermark.</param>
    /// <param name="progress">Told of the events read so far; null for none.</param>
    /// <param name="cancellationToken">Stops the backfill; keys written by then hold their whole backfilled state, and running again is safe.</param>
    /// <exception cref="GranaryException">
    /// <see cref="ErrorCodes.InvalidArgument"/>: <paramref name="start"/> is not before <paramref name="end"/>, the view is
    /// not a stream feature view, or <paramref name="end"/> is before the source's watermark. <see cref="ErrorCodes.NotFound"/>:
    /// no such view. <see cref="ErrorCodes.UnknownReference"/>: the view has no event log. Each before anything is written.
    /// </exception>
    public async Task<BackfillResult> BackfillAsync(
        string view, DateTimeOffset start, DateTimeOffset end, IProgress<BackfillProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(view);
        using var activity = MaterializationTelemetry.Source.StartActivity("granary.backfill");
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(MaterializationTelemetry.FeatureView, view);
            activity.SetTag(MaterializationTelemetry.IntervalStart, start.UtcDateTime.ToString("O"));
            activity.SetTag(MaterializationTelemetry.IntervalEnd, end.UtcDateTime.ToString("O"));
        }

        try
        {
            if (start >= end)
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, $"--start ({start.UtcDateTime:yyyy-MM-ddTHH:mm:ss.FFFFFFZ}) must be before --end ({end.UtcDateTime:yyyy-MM-ddTHH:mm:ss.FFFFFFZ}).");
            }

            var registry = await GetRegistryAsync(cancellationToken);
            var plan = RegistryResolution.Of(registry).View(view);
            if (plan.Stream is null)
            {
                throw new GranaryException(
                    ErrorCodes.InvalidArgument,
                    $"Feature view '{view}' is not a stream feature view: its online values are rows, not aggregates of events. Load them with: granary materialize START END --views {view}");
            }

            var log = StreamEventLog.Of(registry.Definitions, plan.View);
            _ = plan.Stream.Target; // an invalid plan fails here, before the stores are touched
            var reader = Offline.Require<IStreamEventReader>($"read the logged events of stream view '{view}'");
            await EnsureOnlineInitializedAsync(cancellationToken);
            var states = StreamFeatureReader.States(Online, view);
            var result = await new StreamBackfiller(reader, states, Offline.Name, Config.RepositoryRoot)
                .BackfillAsync(plan, log, start, end, progress, cancellationToken);
            activity?.SetTag(MaterializationTelemetry.Rows, result.Events);
            activity?.SetTag(MaterializationTelemetry.Written, result.Keys);
            return result;
        }
        catch (Exception e) when (GranaryTelemetry.Failed(activity, e))
        {
            throw;
        }
    }
}

using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Offline;
using Granary.Online;
using Granary.Registry;
using Granary.Resolution;
using Granary.Core.Time;
using Granary.OnlineServing;
using Granary.Streaming.Events;
using Granary.Streaming.Ingest;
using Granary.Streams;

namespace Granary.Push;

/// <summary>
/// Pushes rows: every row of every affected view is converted and checked first (values, then the views' validation
/// rules: see <see cref="PushValidation"/>), then logged to the batch source
/// (offline) and written to the online store last-write-wins. A rejected push writes nothing. Stream feature views over
/// the source take the rows as events (<see cref="StreamIngestor"/>): with <c>to: online</c> (or both) rows later than
/// the views' allowed lateness are rejected before anything is written (neither logged nor applied to any view) and
/// reported in <see cref="PushResult.LateRows"/>; the others update each key's aggregates.
/// </summary>
internal sealed class Pusher(IOfflineEngine offline, IOnlineStore online, string repositoryRoot, TimeProvider time, StreamIngestMetrics? metrics = null)
{
    public Task<PushResult> PushAsync(PushRequest request, RegistryContents registry, CancellationToken cancellationToken) =>
        PushAsync(request, RegistryResolution.Of(registry).PushSource(request.PushSourceName), cancellationToken);

    /// <summary>The push to an already resolved source.</summary>
    public async Task<PushResult> PushAsync(PushRequest request, ResolvedPushSource push, CancellationToken cancellationToken)
    {
        var (source, batch) = (push.Source, push.Batch);
        var toOffline = request.To != PushTarget.Online;

        // Asked for before anything is checked or written: an engine without a push log refuses the push whole.
        var log = toOffline
            ? offline.Require<IPushLog>($"log pushed rows to batch source '{batch.Name}'", "Push with to: online, or configure an offline_store that keeps pushed rows.")
            : null;
        var rows = PushedRows.CountRows(request.Columns);
        if (!batch.FieldMapping.Values.Contains(batch.TimestampField) && !request.Columns.ContainsKey(batch.TimestampField))
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"df: missing column '{batch.TimestampField}', the event timestamp of push source '{source.Name}'.");
        }

        // The views' validation rules, before anything is written: a row failing an error rule refuses the push
        // whole (422), or with allow_partial is dropped everywhere, offline log included.
        var toOnline = request.To != PushTarget.Offline;
        var validation = PushValidation.Run(push, request.Columns, rows, toOnline);
        if (validation.Refuses(request.AllowPartial))
        {
            throw validation.Refusal(source.Name, request.AllowPartial);
        }

        var pushed = rows;
        if (validation.Rejected is { } rejected)
        {
            (var kept, rows) = WithoutLate(request.Columns, rejected);
            request = request with { Columns = kept };
            if (rows == 0)
            {
                return new PushResult(0, 0, false, []) { RejectedRows = pushed, Validation = validation.Violations };
            }
        }

        var views = new List<string>();
        var writes = new List<List<OnlineWrite>>();
        var streamTargets = new List<StreamViewTarget>();
        var streamEvents = new List<IReadOnlyList<StreamEvent>>();
        var now = UtcMicros.From(time.GetUtcNow());
        foreach (var plan in push.Views)
        {
            if (!plan.View.Online && toOnline)
            {
                continue;
            }

            views.Add(plan.Name);
            if (plan.Stream is { } stream)
            {
                // Converted whatever the target, so a row is refused for the same values online and offline.
                var events = PushedEvents.ToEvents(plan, batch, request.Columns, rows);
                if (toOnline)
                {
                    streamTargets.Add(stream.Target);
                    streamEvents.Add(events);
                }
            }
            else if (toOnline)
            {
                writes.Add(PushedRows.ToWrites(plan, batch, request.Columns, rows, now));
            }
            else
            {
                PushedRows.CheckOffline(plan, batch, request.Columns, rows);
            }
        }

        // Judged once for the whole source, logged, ordinary views written, then the aggregates: JudgedIngest's order.
        var written = 0;
        async Task LogAndWriteAsync(bool[]? late)
        {
            if (log is not null)
            {
                var (columns, kept) = late is null ? (request.Columns, rows) : WithoutLate(request.Columns, late);
                if (kept > 0)
                {
                    await log.AppendAsync(batch, repositoryRoot, columns, kept, cancellationToken);
                }
            }

            var onlineWrites = Accepted(writes, late);
            written = onlineWrites.Count > 0 ? await online.WriteAsync(onlineWrites, cancellationToken) : 0;
        }

        var lateRows = 0;
        if (streamTargets.Count > 0)
        {
            var states = StreamFeatureReader.States(online, streamTargets[0].View);
            var ingestor = new StreamIngestor(states, source.Name, streamTargets, time, metrics ?? StreamIngestMetrics.For(null));
            var ingested = await JudgedIngest.RunAsync(ingestor, streamEvents, verdict => LogAndWriteAsync(verdict.LateRows > 0 ? verdict.Late : null), cancellationToken);
            written += ingested.Applied;
            lateRows = ingested.LateRows;
        }
        else
        {
            await LogAndWriteAsync(null);
        }

        return new PushResult(rows, written, toOffline, views) { LateRows = lateRows, RejectedRows = pushed - rows, Validation = validation.Violations };
    }

    /// <summary>Feast's <c>write_to_online_store</c>: rows for one view, straight into the online store.</summary>
    public async Task<int> WriteToOnlineAsync(string viewName, IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, RegistryContents registry, CancellationToken cancellationToken)
    {
        var plan = RegistryResolution.Of(registry).View(viewName);
        if (plan.Stream is not null)
        {
            throw new GranaryException(
                ErrorCodes.InvalidArgument,
                $"Feature view '{viewName}' is a stream feature view: its features are aggregates of events, not values to write. Push the events to its source '{plan.View.Source}' instead.");
        }

        var batch = plan.RequireSource();
        var rows = PushedRows.CountRows(columns);
        var writes = PushedRows.ToWrites(plan, batch, columns, rows, UtcMicros.From(time.GetUtcNow()));
        return await online.WriteAsync(writes, cancellationToken);
    }

    /// <summary>Each view's writes (one per row, in row order) but those of late rows, as one batch.</summary>
    private static List<OnlineWrite> Accepted(List<List<OnlineWrite>> perView, bool[]? late)
    {
        var all = new List<OnlineWrite>();
        foreach (var view in perView)
        {
            for (var r = 0; r < view.Count; r++)
            {
                if (late is null || !late[r])
                {
                    all.Add(view[r]);
                }
            }
        }

        return all;
    }

    /// <summary>The pushed columns without the rows flagged (late, or failing a validation rule).</summary>
    private static (IReadOnlyDictionary<string, IReadOnlyList<object?>> Columns, int Rows) WithoutLate(IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, bool[] late)
    {
        var kept = new Dictionary<string, IReadOnlyList<object?>>(columns.Count, StringComparer.Ordinal);
        var rows = 0;
        foreach (var (name, values) in columns)
        {
            var list = new List<object?>(values.Count);
            for (var r = 0; r < values.Count; r++)
            {
                if (!late[r])
                {
                    list.Add(values[r]);
                }
            }

            kept[name] = list;
            rows = list.Count;
        }

        return (kept, rows);
    }
}

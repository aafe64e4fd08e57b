using System.Data.Common;
using System.Diagnostics;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Time;
using Granary.Core.Values;
using Granary.Offline;
using Granary.Offline.Retrieval;
using Granary.Online;
using Granary.OnlineServing;
using Granary.Streaming.Ingest;

namespace Granary.Backfill;

/// <summary>
/// Computes a stream view's aggregate state from its logged events and loads it into the online store (see
/// docs/streaming.md, "Backfill"). The engine streams the events that a read at the range's end can still need
/// (<see cref="BackfillReach"/>), ordered by key and then as logged; each key's events are folded by the same
/// <see cref="StreamKeyState"/> the ingestor uses (so a repeated event id counts once per key, the copy logged first,
/// as online and in training data), and a batch of finished keys is written at a time, so memory follows one batch of
/// keys, not the log.
/// <para>
/// Each key's stored state is <b>replaced</b> by the backfilled one (compare-and-set against the version just read,
/// retried when a writer moved the key in between). Every accepted event is logged before it is applied, so the log
/// up to the end holds every event the store counted up to then: replacing makes a backfill exact whether the view
/// is new, has new aggregations, or already has live state, and re-running it changes nothing. The event ids kept in
/// the state make a later redelivery of a backfilled event count once. What replacing would lose are events after the
/// end that the store already counted, so a backfill whose end is before the source's watermark is refused before
/// anything is read; afterwards the watermark moves to the newest backfilled event (it never moves back), so later
/// events are judged late against the backfilled history, as the id horizon assumes.
/// </para>
/// </summary>
internal sealed class StreamBackfiller(IStreamEventReader offline, IAggregateStateStore states, string engineName, string repositoryRoot)
{
    public const int DefaultBatchKeys = 1_000;

    /// <summary>Finished keys written per compare-and-set batch.</summary>
    public int BatchKeys { get; init; } = DefaultBatchKeys;

    /// <exception cref="GranaryException">
    /// The end is before the source's watermark (<see cref="ErrorCodes.InvalidArgument"/>; nothing is written), the
    /// log cannot be read, or a logged value does not convert.
    /// </exception>
    public async Task<BackfillResult> BackfillAsync(
        OnlineViewPlan plan, BatchSource log, DateTimeOffset start, DateTimeOffset end, IProgress<BackfillProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var target = plan.Stream!.Target;
        var (startMicros, endMicros) = (UtcMicros.From(start), UtcMicros.From(end));
        var source = plan.View.Source;
        if (await states.GetStreamWatermarkAsync(source, cancellationToken) is { } watermark && watermark > endMicros)
        {
            throw new GranaryException(
                ErrorCodes.InvalidArgument,
                $"--end {Format(endMicros)} is before the newest event source '{source}' has delivered ({Format(watermark)}): backfill replaces each key's "
                + $"state with the one computed from the log up to --end, which would drop later events the online store already counted. Give --end {Format(watermark)} or later (or now).");
        }

        var readFrom = BackfillReach.ReadFrom(target.Plan, plan.TtlMicros, startMicros, endMicros);
        var columns = new List<string>(target.Plan.Columns);
        var idColumn = target.EventIdField is { } id ? IndexOrAdd(columns, id) : -1;
        var request = new StreamEventsRequest(new PointInTimeView(plan.View, log, plan.JoinKeys, columns), readFrom, endMicros, repositoryRoot);
        var total = progress is null ? 0 : await CountAsync(request, cancellationToken);
        progress?.Report(new BackfillProgress(plan.Name, 0, total));

        var fold = new BackfillFold(this, plan, log.Name, progress, total);
        await using (var rows = await OpenAsync(request, cancellationToken))
        {
            await fold.RunAsync(rows.Reader, new LoggedEventReader(rows.Reader, plan, log.Name, columns, idColumn), cancellationToken);
        }

        if (fold.Newest != long.MinValue)
        {
            await states.AdvanceStreamWatermarkAsync(source, fold.Newest, cancellationToken);
        }

        var after = await states.GetStreamWatermarkAsync(source, cancellationToken);
        progress?.Report(new BackfillProgress(plan.Name, fold.Read, Math.Max(total, fold.Read)));
        return new BackfillResult(
            plan.Name, start, end, UtcMicros.ToDateTimeOffset(readFrom), fold.Counted, fold.Duplicates, fold.Skipped, fold.Keys,
            after is { } w ? UtcMicros.ToDateTimeOffset(w) : null, clock.Elapsed);
    }

    /// <summary>Replaces the state of each key of <paramref name="batch"/>, retrying the keys another writer moved meanwhile.</summary>
    internal async Task WriteAsync(string view, List<(EntityKey Entity, byte[] State)> batch, CancellationToken cancellationToken)
    {
        var pending = batch;
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            if (attempt > StreamIngestor.MaxAttempts)
            {
                throw new GranaryException(
                    ErrorCodes.Conflict,
                    $"The aggregate state of {pending.Count} key(s) of stream view '{view}' kept changing under {StreamIngestor.MaxAttempts} compare-and-set attempts while backfilling; run backfill again.");
            }

            var keys = new OnlineKey[pending.Count];
            for (var k = 0; k < keys.Length; k++)
            {
                keys[k] = new OnlineKey(view, pending[k].Entity);
            }

            var stored = new AggregateStateEntry[keys.Length];
            await states.ReadStatesAsync(keys, stored, cancellationToken);
            var writes = new AggregateStateWrite[keys.Length];
            for (var k = 0; k < writes.Length; k++)
            {
                writes[k] = new AggregateStateWrite(view, pending[k].Entity, stored[k].Version, pending[k].State);
            }

            var done = new bool[writes.Length];
            await states.CompareAndSetStatesAsync(writes, done, cancellationToken);
            var next = new List<(EntityKey, byte[])>();
            for (var k = 0; k < done.Length; k++)
            {
                if (!done[k])
                {
                    next.Add(pending[k]);
                }
            }

            pending = next;
        }
    }

    /// <summary>The next row of the log, its engine's failure told as a Granary error.</summary>
    internal async Task<bool> NextAsync(DbDataReader reader, string view, string log, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(cancellationToken);
        }
        catch (Exception e) when (e is DbException or IOException)
        {
            throw Translate(e, view, log);
        }
    }

    private async Task<long> CountAsync(StreamEventsRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await offline.CountEventsAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is DbException or IOException)
        {
            throw Translate(e, request.View.View.Name, request.View.Source.Name);
        }
    }

    private async Task<OfflineRows> OpenAsync(StreamEventsRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await offline.ReadEventsAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is DbException or IOException)
        {
            throw Translate(e, request.View.View.Name, request.View.Source.Name);
        }
    }

    // As for training data: classified by the driver's own signals, and only the message's first line (the rest may
    // quote the statement).
    private GranaryException Translate(Exception e, string view, string log)
    {
        var reason = e.Message.Split('\n', 2)[0].Trim();
        var what = $"The {engineName} offline engine cannot read event log '{log}' of stream view '{view}': {reason}";
        return EngineFailures.Classify(e) switch
        {
            EngineFailureKind.Unavailable => new GranaryException(
                ErrorCodes.SourceUnavailable, $"{what} Check that the log exists (pushes with to: offline or online_and_offline, or the stream consumers, write it); running backfill again is safe.", e),
            EngineFailureKind.Timeout => new GranaryException(ErrorCodes.SourceTimeout, what, e),
            _ => new GranaryException(ErrorCodes.InvalidArgument, $"{what} Check its columns against the view's definition (granary plan).", e),
        };
    }

    private static int IndexOrAdd(List<string> columns, string column)
    {
        var index = columns.IndexOf(column);
        if (index >= 0)
        {
            return index;
        }

        columns.Add(column);
        return columns.Count - 1;
    }

    private static string Format(long micros) => UtcMicros.ToDateTimeOffset(micros).ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFZ", System.Globalization.CultureInfo.InvariantCulture);
}

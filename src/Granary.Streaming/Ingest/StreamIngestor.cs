using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Time;
using Granary.Core.Values;
using Granary.Online;
using Granary.Streaming.Events;

namespace Granary.Streaming.Ingest;

/// <summary>
/// Applies batches of events of one stream source to the aggregate state of its stream views in the online store,
/// so that any number of ingestors, in any number of processes, may apply any event (see docs/streaming.md, "Online"):
/// <list type="number">
/// <item>Lateness: each event is judged against the newest event time seen from the source before it (the stored
/// watermark, then the batch's earlier events); one older than that by more than the smallest <c>allowed_lateness</c>
/// of the source's views is rejected for the whole source (one verdict per event, so every view and the offline log
/// agree on it): not applied, not to be logged, counted in <c>granary.stream.events.rejected_late</c> and reported.</item>
/// <item>Per view, the accepted events are grouped by entity key; each key's state is read with its version, the
/// events are applied in batch order (an event whose id the key already counted is skipped), and the state is written
/// back by compare-and-set. A key another writer moved in between is read and applied again, up to
/// <see cref="MaxAttempts"/> times.</item>
/// <item>Only then is the source's watermark advanced to the batch's newest event, so a batch redelivered after a
/// crash is judged as it was the first time.</item>
/// </list>
/// </summary>
internal sealed class StreamIngestor
{
    /// <summary>Compare-and-set rounds per key before a batch gives up: contention on one key that long is a fault.</summary>
    public const int MaxAttempts = 64;

    private readonly IAggregateStateStore _store;
    private readonly string _source;
    private readonly IReadOnlyList<StreamViewTarget> _views;
    private readonly TimeProvider _time;
    private readonly StreamIngestMetrics _metrics;

    public StreamIngestor(IAggregateStateStore store, string source, IReadOnlyList<StreamViewTarget> views, TimeProvider time, StreamIngestMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentNullException.ThrowIfNull(views);
        _store = store;
        _source = source;
        _views = views;
        _time = time;
        _metrics = metrics;
        LatenessMicros = long.MaxValue;
        foreach (var view in views)
        {
            LatenessMicros = Math.Min(LatenessMicros, view.LatenessMicros);
        }
    }

    /// <summary>The smallest allowed lateness of the source's views: a row later than it is rejected by the source.</summary>
    public long LatenessMicros { get; }

    /// <summary>A batch for a source with one stream view: judged, applied, and the watermark advanced.</summary>
    public Task<StreamIngestResult> IngestAsync(IReadOnlyList<StreamEvent> events, CancellationToken cancellationToken = default) =>
        IngestAsync([events], cancellationToken);

    /// <summary>
    /// A batch of the source's events, as each view takes them: <c>events[v][i]</c> is event <c>i</c> in the columns
    /// of view <c>v</c> (same entity, time and id in every view). Judged (<see cref="JudgeAsync"/>) and applied
    /// (<see cref="ApplyAsync(IReadOnlyList{IReadOnlyList{StreamEvent}}, LatenessVerdict, CancellationToken)"/>).
    /// </summary>
    public async Task<StreamIngestResult> IngestAsync(IReadOnlyList<IReadOnlyList<StreamEvent>> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var times = new long[events.Count == 0 ? 0 : events[0].Count];
        for (var i = 0; i < times.Length; i++)
        {
            times[i] = events[0][i].EventMicros;
        }

        var verdict = await JudgeAsync(times, cancellationToken).ConfigureAwait(false);
        return await ApplyAsync(events, verdict, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Which events of a batch are late: older than the newest event time seen from the source before them (the
    /// stored watermark, then the batch's earlier events) by more than <see cref="LatenessMicros"/>. A caller that
    /// also logs the events offline logs only those not late, then applies the verdict.
    /// </summary>
    public async Task<LatenessVerdict> JudgeAsync(IReadOnlyList<long> eventMicros, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventMicros);
        var late = new bool[eventMicros.Count];
        if (late.Length == 0)
        {
            return new LatenessVerdict(late, 0, long.MinValue);
        }

        var running = await _store.GetStreamWatermarkAsync(_source, cancellationToken).ConfigureAwait(false) ?? long.MinValue;
        var lateRows = 0;
        for (var i = 0; i < late.Length; i++)
        {
            running = Math.Max(running, eventMicros[i]);
            // running is at least the event's own time, so the difference never overflows.
            late[i] = running - eventMicros[i] > LatenessMicros;
            lateRows += late[i] ? 1 : 0;
        }

        return new LatenessVerdict(late, lateRows, running);
    }

    /// <summary>
    /// Applies the events <paramref name="verdict"/> did not reject to every view, then advances the source's
    /// watermark to the batch's newest event.
    /// </summary>
    public async Task<StreamIngestResult> ApplyAsync(IReadOnlyList<IReadOnlyList<StreamEvent>> events, LatenessVerdict verdict, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(verdict);
        if (events.Count != _views.Count)
        {
            throw new ArgumentException($"The source '{_source}' feeds {_views.Count} stream views; the batch has events for {events.Count}.", nameof(events));
        }

        var count = verdict.Late.Length;
        if (count == 0)
        {
            return new StreamIngestResult(0, 0, 0, 0);
        }

        var accepted = new List<int>(count - verdict.LateRows);
        for (var i = 0; i < count; i++)
        {
            if (!verdict.Late[i])
            {
                accepted.Add(i);
            }
        }

        int applied = 0, duplicates = 0;
        for (var v = 0; v < _views.Count; v++)
        {
            var view = _views[v];
            if (events[v].Count != count)
            {
                throw new ArgumentException($"View '{view.View}' has {events[v].Count} events of a batch of {count}.", nameof(events));
            }

            _metrics.RejectedLate(view.View, _source, verdict.LateRows);
            var (a, d) = await ApplyAsync(view, events[v], accepted, cancellationToken).ConfigureAwait(false);
            applied += a;
            duplicates += d;
        }

        await _store.AdvanceStreamWatermarkAsync(_source, verdict.NewestMicros, cancellationToken).ConfigureAwait(false);
        return new StreamIngestResult(applied, duplicates, verdict.LateRows, verdict.LateRows * _views.Count);
    }

    private async Task<(int Applied, int Duplicates)> ApplyAsync(StreamViewTarget view, IReadOnlyList<StreamEvent> events, List<int> accepted, CancellationToken cancellationToken)
    {
        var byKey = new Dictionary<EntityKey, List<int>>();
        var pending = new List<EntityKey>();
        foreach (var i in accepted)
        {
            var entity = events[i].Entity;
            if (!byKey.TryGetValue(entity, out var indexes))
            {
                byKey[entity] = indexes = [];
                pending.Add(entity);
            }

            indexes.Add(i);
        }

        int applied = 0, duplicates = 0;
        var servable = new List<long>();
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            if (attempt > MaxAttempts)
            {
                throw new GranaryException(
                    ErrorCodes.Conflict,
                    $"The aggregate state of {pending.Count} key(s) of stream view '{view.View}' kept changing under {MaxAttempts} compare-and-set attempts; nothing more of the batch was applied to them. Retry the batch.");
            }

            var keys = new OnlineKey[pending.Count];
            for (var k = 0; k < keys.Length; k++)
            {
                keys[k] = new OnlineKey(view.View, pending[k]);
            }

            var stored = new AggregateStateEntry[keys.Length];
            await _store.ReadStatesAsync(keys, stored, cancellationToken).ConfigureAwait(false);
            var writes = new List<AggregateStateWrite>(keys.Length);
            var counts = new List<(EntityKey Entity, int Applied, int Duplicates)>(keys.Length);
            for (var k = 0; k < keys.Length; k++)
            {
                var state = stored[k].State is { } bytes ? Decode(view, bytes, keys[k]) : StreamKeyState.Empty(view.Plan);
                int keyApplied = 0, keyDuplicates = 0;
                foreach (var i in byKey[pending[k]])
                {
                    if (state.Apply(events[i]))
                    {
                        keyApplied++;
                    }
                    else
                    {
                        keyDuplicates++;
                    }
                }

                if (keyApplied == 0)
                {
                    // Every event was a repeat: nothing to write, and nothing another writer could invalidate.
                    duplicates += keyDuplicates;
                    continue;
                }

                state.ForgetIdsOutside(view.IdHorizonMicros);
                writes.Add(new AggregateStateWrite(view.View, pending[k], stored[k].Version, state.Write()));
                counts.Add((pending[k], keyApplied, keyDuplicates));
            }

            var done = new bool[writes.Count];
            await _store.CompareAndSetStatesAsync(writes, done, cancellationToken).ConfigureAwait(false);
            var now = UtcMicros.From(_time.GetUtcNow());
            pending.Clear();
            for (var w = 0; w < writes.Count; w++)
            {
                var (entity, keyApplied, keyDuplicates) = counts[w];
                if (!done[w])
                {
                    pending.Add(entity);
                    continue;
                }

                applied += keyApplied;
                duplicates += keyDuplicates;
                servable.Clear();
                foreach (var i in byKey[entity])
                {
                    servable.Add(events[i].EventMicros);
                }

                _metrics.Servable(view.View, servable, now);
            }
        }

        return (applied, duplicates);
    }

    private static StreamKeyState Decode(StreamViewTarget view, byte[] bytes, OnlineKey key)
    {
        try
        {
            return StreamKeyState.Read(bytes, view.Plan);
        }
        catch (FormatException e)
        {
            throw new GranaryException(
                ErrorCodes.OnlineStoreUnavailable,
                $"The stored aggregate state of an entity of stream view '{key.View}' cannot be read ({e.Message}); tear the view's state down and backfill it.",
                e);
        }
    }
}

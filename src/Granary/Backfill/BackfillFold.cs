using System.Data.Common;
using Granary.Core.Values;
using Granary.OnlineServing;
using Granary.Streaming.Ingest;

namespace Granary.Backfill;

/// <summary>
/// One backfill's pass over the log: the rows come ordered by key, so each key's events are folded into a fresh
/// <see cref="StreamKeyState"/> until the key changes; the finished key's stored form joins a batch, and a full batch
/// is written before reading on. Counts what it read for the result and the progress.
/// </summary>
internal sealed class BackfillFold(StreamBackfiller backfiller, OnlineViewPlan plan, string log, IProgress<BackfillProgress>? progress, long total)
{
    private readonly StreamViewTarget _target = plan.Stream!.Target;
    private readonly List<(EntityKey Entity, byte[] State)> _batch = [];

    /// <summary>Rows read, whatever became of them.</summary>
    public long Read { get; private set; }

    public long Counted { get; private set; }

    public long Duplicates { get; private set; }

    public long Skipped { get; private set; }

    public long Keys { get; private set; }

    /// <summary>The newest event time counted; <see cref="long.MinValue"/> when none was.</summary>
    public long Newest { get; private set; } = long.MinValue;

    public async Task RunAsync(DbDataReader reader, LoggedEventReader events, CancellationToken cancellationToken)
    {
        StreamKeyState? state = null;
        EntityKey? key = null;
        while (await backfiller.NextAsync(reader, plan.Name, log, cancellationToken))
        {
            Read++;
            if (!events.TryRead(out var e))
            {
                Skipped++;
                continue;
            }

            if (state is null || !e.Entity.Equals(key))
            {
                if (state is not null)
                {
                    await FinishAsync(key!, state, cancellationToken);
                }

                key = e.Entity;
                state = StreamKeyState.Empty(_target.Plan);
            }

            if (state.Apply(e))
            {
                Counted++;
                Newest = Math.Max(Newest, e.EventMicros);
            }
            else
            {
                Duplicates++;
            }
        }

        if (state is not null)
        {
            await FinishAsync(key!, state, cancellationToken);
        }

        await FlushAsync(cancellationToken);
    }

    private async Task FinishAsync(EntityKey key, StreamKeyState state, CancellationToken cancellationToken)
    {
        // As the ingestor does before each write, so a backfilled state is the one live ingestion would have stored.
        state.ForgetIdsOutside(_target.IdHorizonMicros);
        _batch.Add((key, state.Write()));
        Keys++;
        if (_batch.Count >= backfiller.BatchKeys)
        {
            await FlushAsync(cancellationToken);
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_batch.Count == 0)
        {
            return;
        }

        await backfiller.WriteAsync(plan.Namespace, _batch, cancellationToken);
        _batch.Clear();
        progress?.Report(new BackfillProgress(plan.Name, Read, Math.Max(total, Read)));
    }
}

using System.Data.Common;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Granary.Online;
using Granary.OnlineServing;
using Granary.Quality.Validation;

namespace Granary.Materialization;

/// <summary>
/// Materializes one view's rows in three stages that run at once, each on its own batch: the <b>reader</b> drains the
/// engine's rows into a <see cref="RowBatch"/> with typed reads; the <b>encoder</b> checks, converts and encodes the
/// previous batch into online writes; the <b>writer</b> hands encoded batches to the store, one at a time
/// (<see cref="WritesInFlight"/>): the stages before it keep working meanwhile, and a network store is not handed
/// more than one batch to queue behind a slow server. Bounded channels between the stages
/// (<see cref="QueuedBatches"/>) and fixed pools of batches keep memory constant whatever the interval's size.
/// <para>
/// The first stage to fail stops the others (a shared cancellation), the pipeline waits for every stage and for
/// every write it started, and that first error is what the caller sees. Only when every write has been
/// acknowledged does <see cref="RunAsync"/> return, which is what lets the caller move the watermark.
/// </para>
/// </summary>
internal sealed class MaterializationPipeline
{
    /// <summary>Batches waiting between two stages.</summary>
    public const int QueuedBatches = 2;

    /// <summary>Store writes started and not yet acknowledged.</summary>
    public const int WritesInFlight = 1;

    private readonly OnlineViewPlan _plan;
    private readonly IOnlineStore _online;
    private readonly int _batchSize;
    private readonly Action<long>? _written;
    private readonly Channel<RowBatch> _read = Channel.CreateBounded<RowBatch>(new BoundedChannelOptions(QueuedBatches) { SingleReader = true, SingleWriter = true });
    private readonly Channel<WriteBatch> _encoded = Channel.CreateBounded<WriteBatch>(new BoundedChannelOptions(QueuedBatches) { SingleReader = true, SingleWriter = true });
    private readonly Channel<RowBatch> _freeRows = Channel.CreateUnbounded<RowBatch>();
    private readonly Channel<WriteBatch> _freeWrites = Channel.CreateUnbounded<WriteBatch>();
    private Exception? _failure;
    private CancellationTokenSource? _stop;
    private int _rowBatches;
    private RowEncoder? _encoder;
    private long _rows;
    private long _skipped;
    private long _writtenRecords;

    /// <summary>A pipeline for one run over one view's rows.</summary>
    /// <param name="plan">The view.</param>
    /// <param name="online">The store written to.</param>
    /// <param name="batchSize">Rows per batch, and so per store write.</param>
    /// <param name="written">Called after each acknowledged batch with the rows read up to its end.</param>
    public MaterializationPipeline(OnlineViewPlan plan, IOnlineStore online, int batchSize, Action<long>? written)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _plan = plan;
        _online = online;
        _batchSize = batchSize;
        _written = written;
        // A batch being filled, the queued ones, one being encoded; a write batch being filled, the queued ones, those in flight.
        for (var i = 0; i < WritesInFlight + QueuedBatches + 1; i++)
        {
            _freeWrites.Writer.TryWrite(new WriteBatch(batchSize));
        }
    }

    /// <summary>What the view's validation rules found in the rows encoded so far; null when the view has none or no row was read.</summary>
    public ValidationTally? Validation => _encoder?.Validation;

    /// <summary>Runs the stages over <paramref name="reader"/> until it ends, or until one fails or the caller cancels.</summary>
    /// <returns>Rows read, records that replaced or created a value, rows skipped for an incomplete key (rows failing
    /// an error validation rule are neither written nor skipped: see <see cref="Validation"/>).</returns>
    public async Task<(long Rows, long Written, long Skipped)> RunAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _stop = stop;
        var token = stop.Token;
        Task[] stages = [Stage(() => ReadAsync(reader, token)), Stage(() => EncodeAsync(token)), Stage(() => WriteAsync(token))];
        try
        {
            await Task.WhenAll(stages);
        }
        catch (Exception) when (_failure is not null || cancellationToken.IsCancellationRequested)
        {
            // Rethrown below: the stage that failed first, not the cancellations it caused.
        }

        if (_failure is not null)
        {
            ExceptionDispatchInfo.Throw(_failure);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return (_rows, _writtenRecords, _skipped);
    }

    private Task Stage(Func<Task> body) => Task.Run(async () =>
    {
        try
        {
            await body();
        }
        catch (Exception e) when (!(e is OperationCanceledException && _stop!.IsCancellationRequested))
        {
            Fail(e);
            throw;
        }
    });

    /// <summary>Keeps the first failure and stops every stage.</summary>
    private void Fail(Exception e)
    {
        if (Interlocked.CompareExchange(ref _failure, e, null) is null)
        {
            _stop!.Cancel();
        }
    }

    /// <summary>The reading stage: the only one touching the engine's reader.</summary>
    private async Task ReadAsync(DbDataReader reader, CancellationToken token)
    {
        try
        {
            LatestRowReader? rows = null;
            RowBatch? batch = null;
            while (await reader.ReadAsync(token))
            {
                if (rows is null)
                {
                    rows = LatestRowReader.For(_plan, reader);
                    _encoder = new RowEncoder(_plan, rows.Reads);
                }

                batch ??= await RowBatchAsync(rows, token);
                _rows++;
                if (!rows.TryAppend(reader, batch))
                {
                    _skipped++;
                }

                if (batch.IsFull)
                {
                    batch.RowsRead = _rows;
                    await _read.Writer.WriteAsync(batch, token);
                    batch = null;
                }
            }

            if (batch is not null)
            {
                batch.RowsRead = _rows;
                await _read.Writer.WriteAsync(batch, token);
            }
        }
        finally
        {
            _read.Writer.TryComplete();
        }
    }

    /// <summary>A batch to fill: a new one until the pool is complete, then one the encoder gave back.</summary>
    private async ValueTask<RowBatch> RowBatchAsync(LatestRowReader rows, CancellationToken token)
    {
        if (_freeRows.Reader.TryRead(out var batch))
        {
            return batch;
        }

        // One being filled, those queued, one being encoded.
        if (_rowBatches < QueuedBatches + 2)
        {
            _rowBatches++;
            return new RowBatch(_batchSize, rows.Reads.Count, rows.AnyConverted, rows.CountsTies);
        }

        return await _freeRows.Reader.ReadAsync(token);
    }

    private async Task EncodeAsync(CancellationToken token)
    {
        try
        {
            await foreach (var batch in _read.Reader.ReadAllAsync(token))
            {
                var writes = await _freeWrites.Reader.ReadAsync(token);
                _encoder!.Encode(batch, writes.Writes);
                writes.RowsRead = batch.RowsRead;
                batch.Reset();
                _freeRows.Writer.TryWrite(batch);
                await _encoded.Writer.WriteAsync(writes, token);
            }
        }
        finally
        {
            _encoded.Writer.TryComplete();
        }
    }

    private async Task WriteAsync(CancellationToken token)
    {
        var inFlight = new Queue<(Task<int> Task, WriteBatch Batch)>(WritesInFlight);
        try
        {
            await foreach (var batch in _encoded.Reader.ReadAllAsync(token))
            {
                if (batch.Writes.Count == 0)
                {
                    // Every row of it lacked a key: nothing to store, but its rows count as done.
                    _written?.Invoke(batch.RowsRead);
                    Recycle(batch);
                    continue;
                }

                if (inFlight.Count == WritesInFlight)
                {
                    await AcknowledgedAsync(inFlight.Dequeue());
                }

                var write = _online.WriteAsync(batch.Writes, token);
                // A failed write stops the other stages at once, not when its turn to be awaited comes.
                _ = write.ContinueWith(static (failed, state) => ((MaterializationPipeline)state!).Fail(failed.Exception!.InnerException!), this, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                inFlight.Enqueue((write, batch));
            }

            while (inFlight.Count > 0)
            {
                await AcknowledgedAsync(inFlight.Dequeue());
            }
        }
        finally
        {
            // After a failure: wait for the writes still in the store's hands (cancelled if it has not taken them), so
            // that nothing of this run is written after the caller has seen it fail.
            foreach (var (task, _) in inFlight)
            {
                await ((Task)task).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task AcknowledgedAsync((Task<int> Task, WriteBatch Batch) write)
    {
        _writtenRecords += await write.Task;
        _written?.Invoke(write.Batch.RowsRead);
        Recycle(write.Batch);
    }

    private void Recycle(WriteBatch batch)
    {
        batch.Writes.Clear();
        _freeWrites.Writer.TryWrite(batch);
    }

    /// <summary>One batch's online writes, and how many engine rows had been read at its end.</summary>
    private sealed class WriteBatch(int capacity)
    {
        public List<OnlineWrite> Writes { get; } = new(capacity);

        public long RowsRead { get; set; }
    }
}

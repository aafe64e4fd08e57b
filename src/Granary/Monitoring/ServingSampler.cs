using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Granary.Monitoring;

/// <summary>
/// Samples served rows off the hot path: a request draws per row whether to keep it (<see cref="ShouldSample"/>) and
/// hands a kept row to a bounded queue that never blocks (<see cref="Offer"/>: when full, the row is dropped and
/// counted); one background writer takes the rows in batches, by count or after <see cref="ServingSamplerOptions.FlushInterval"/>
/// since the batch's first row, whichever comes first, and writes them to the serving log. Disposing writes what is queued.
/// The experiments' exposure log uses the same queue and writer at a rate of 1 (every exposure is kept).
/// </summary>
/// <typeparam name="TRow">What is logged: a <see cref="ServedRow"/>, or an exposure.</typeparam>
internal sealed class ServingSampler<TRow> : IAsyncDisposable
{
    private readonly double _rate;
    private readonly Func<IReadOnlyList<TRow>, CancellationToken, Task> _write;
    private readonly TimeProvider _time;
    private readonly ServingSamplerOptions _options;
    private readonly ServingLogMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Channel<TRow> _queue;
    private readonly Task _writer;
    private long _logged;
    private long _dropped;

    public ServingSampler(
        double rate,
        Func<IReadOnlyList<TRow>, CancellationToken, Task> write,
        TimeProvider time,
        ServingSamplerOptions options,
        ServingLogMetrics metrics,
        ILogger logger)
    {
        if (rate is <= 0 or > 1 || double.IsNaN(rate))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "A sampling rate is in (0, 1]; a rate of 0 has no sampler.");
        }

        (_rate, _write, _time, _options, _metrics, _logger) = (rate, write, time, options, metrics, logger);
        _queue = Channel.CreateBounded<TRow>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,
        });
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Rows written to the serving log so far.</summary>
    public long Logged => Interlocked.Read(ref _logged);

    /// <summary>Rows dropped so far: offered to a full queue, or lost to a failed write.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>The per-row draw: true for about <c>rate</c> of the calls. <see cref="Random.Shared"/> is thread-safe and
    /// allocation-free, so a request pays one number per row.</summary>
    public bool ShouldSample() => _rate >= 1 || Random.Shared.NextDouble() < _rate;

    /// <summary>Queues a sampled row for the writer; drops and counts it when the queue is full or closed.</summary>
    public void Offer(TRow row)
    {
        // FullMode.Wait makes TryWrite fail rather than evict when full: the newest row is the one dropped, counted.
        if (!_queue.Writer.TryWrite(row))
        {
            var dropped = Interlocked.Increment(ref _dropped);
            _metrics.Dropped(1);
            if (IsPowerOfTwo(dropped))
            {
                // Logged at 1, 2, 4, 8, ... dropped rows so a sustained overload does not flood the log.
                MonitoringLog.ServingLogQueueFull(_logger, _metrics.Log, dropped);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<TRow>(_options.BatchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            Drain(reader, batch);
            if (batch.Count < _options.BatchSize)
            {
                await FillUntilDueAsync(reader, batch).ConfigureAwait(false);
            }

            await WriteAsync(batch).ConfigureAwait(false);
            batch.Clear();
        }
    }

    /// <summary>Waits for more rows until the batch is full, the flush interval has passed or the queue is closed.</summary>
    private async Task FillUntilDueAsync(ChannelReader<TRow> reader, List<TRow> batch)
    {
        using var timer = new CancellationTokenSource(_options.FlushInterval, _time);
        try
        {
            while (batch.Count < _options.BatchSize && await reader.WaitToReadAsync(timer.Token).ConfigureAwait(false))
            {
                Drain(reader, batch);
            }
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested)
        {
            // The interval passed: write what there is.
        }
    }

    private void Drain(ChannelReader<TRow> reader, List<TRow> batch)
    {
        while (batch.Count < _options.BatchSize && reader.TryRead(out var row))
        {
            batch.Add(row);
        }
    }

    private async Task WriteAsync(List<TRow> batch)
    {
        try
        {
            await _write(batch, CancellationToken.None).ConfigureAwait(false);
            Interlocked.Add(ref _logged, batch.Count);
            _metrics.Logged(batch.Count);
        }
        catch (Exception e)
        {
            // Serving must not fail because monitoring did: the rows are lost, and counted as dropped.
            Interlocked.Add(ref _dropped, batch.Count);
            _metrics.Dropped(batch.Count);
            MonitoringLog.ServingLogWriteFailed(_logger, batch.Count, _metrics.Log, e.Message, e);
        }
    }

    private static bool IsPowerOfTwo(long value) => (value & (value - 1)) == 0;
}

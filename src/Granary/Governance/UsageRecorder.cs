using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Granary.Core.Providers;
using Granary.Registry.Catalog;
using Microsoft.Extensions.Logging;

namespace Granary.Governance;

/// <summary>
/// Records feature usage off the serving path. <see cref="Record"/> only queues (a bounded queue: when it is full
/// the use is dropped and counted, never waited for); every flush interval a background loop folds the queued uses of
/// one (feature, version, model, environment) into one row with <see cref="FeatureUsage.Count"/> and writes them in
/// batches. A write that fails is logged and its batch dropped: usage is statistics, not data. Disposing flushes.
/// </summary>
[SuppressMessage("Usage", ProviderDiagnostics.ExperimentalId, Justification = "The catalog store is the registry's own.")]
internal sealed class UsageRecorder : IAsyncDisposable
{
    private readonly ICatalogStore _store;
    private readonly string _project;
    private readonly UsageRecorderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<QueuedUse> _queue;
    private readonly Dictionary<(string Feature, string Version, string Model), Folded> _folded = [];
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private int _started;
    private long _dropped;
    private int _droppedLogged;
    private int _disposed;

    public UsageRecorder(ICatalogStore store, string project, UsageRecorderOptions options, TimeProvider time, ILogger logger)
    {
        _store = store;
        _project = project;
        _options = options;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<QueuedUse>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    /// <summary>Uses dropped because the queue was full (or the recorder disposed) since it started.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public string Environment => _options.Environment;

    /// <summary>
    /// Queues one use of each of <paramref name="features"/> by <paramref name="model"/>; the array is kept until the
    /// next flush, so pass one that does not change (one per feature service and registry snapshot). Never blocks or
    /// throws; false when the use was dropped.
    /// </summary>
    public bool Record(UsedFeature[] features, string model)
    {
        try
        {
            if (Volatile.Read(ref _started) == 0 && Volatile.Read(ref _disposed) == 0)
            {
                Start();
            }

            if (_queue.Writer.TryWrite(new QueuedUse(features, model, _time.GetUtcNow())))
            {
                return true;
            }

            Dropped1();
            return false;
        }
        catch (Exception e)
        {
            // Usage must never fail a read that served.
            Dropped1();
            UsageLog.RecordFailed(_logger, e.Message, e);
            return false;
        }
    }

    /// <summary>Writes what is queued now (the background loop does this every interval).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _flushing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (_queue.Reader.TryRead(out var use))
            {
                foreach (var feature in use.Features)
                {
                    var key = (feature.Feature, feature.Version, use.Model);
                    _folded[key] = _folded.TryGetValue(key, out var folded)
                        ? new Folded(folded.Count + 1, use.At > folded.Last ? use.At : folded.Last)
                        : new Folded(1, use.At);
                }
            }

            if (_folded.Count == 0)
            {
                return;
            }

            var rows = new List<FeatureUsage>(_folded.Count);
            foreach (var ((feature, version, model), folded) in _folded)
            {
                rows.Add(new FeatureUsage(_project, feature, version, model, _options.Environment, folded.Last) { Count = folded.Count });
            }

            _folded.Clear();
            for (var start = 0; start < rows.Count; start += _options.BatchSize)
            {
                var batch = rows.GetRange(start, Math.Min(_options.BatchSize, rows.Count - start));
                try
                {
                    await _store.RecordUsageAsync(batch, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    UsageLog.WriteFailed(_logger, batch.Count, e.Message, e);
                }
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        await FlushAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            return;
        }

        // Not the first request's context: the loop outlives it, and must not carry its trace or culture.
        using (ExecutionContext.SuppressFlow())
        {
            _loop = LoopAsync();
        }
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.FlushInterval, _time, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await FlushAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                UsageLog.WriteFailed(_logger, 0, e.Message, e);
            }
        }
    }

    private void Dropped1()
    {
        Interlocked.Increment(ref _dropped);
        if (Interlocked.Exchange(ref _droppedLogged, 1) == 0)
        {
            UsageLog.QueueFull(_logger, _options.QueueCapacity);
        }
    }

    private readonly record struct QueuedUse(UsedFeature[] Features, string Model, DateTimeOffset At);

    private readonly record struct Folded(long Count, DateTimeOffset Last);
}

using System.Diagnostics.CodeAnalysis;
using System.Collections.Concurrent;
using Granary.Core.Providers;
using Granary.Registry.Catalog;
using Microsoft.Extensions.Logging;

namespace Granary.Governance;

/// <summary>
/// Records feature usage off the serving path. <see cref="Record"/> only counts: one lock-free counter per (service's
/// feature array, model), so a served request costs a dictionary lookup and two interlocked operations, whatever the
/// number of features. At most <see cref="UsageRecorderOptions.QueueCapacity"/> uses wait between flushes; past that
/// a use is dropped and counted, never waited for. Every flush interval a background loop expands the counters into one
/// row per (feature, version, model, environment) with <see cref="FeatureUsage.Count"/> and writes them in batches. A
/// write that fails is logged and its batch dropped: usage is statistics, not data. Disposing flushes.
/// </summary>
[SuppressMessage("Usage", ProviderDiagnostics.ExperimentalId, Justification = "The catalog store is the registry's own.")]
internal sealed class UsageRecorder : IAsyncDisposable
{
    private readonly ICatalogStore _store;
    private readonly string _project;
    private readonly UsageRecorderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<UseKey, UseCounter> _counters = new();
    private readonly Dictionary<(string Feature, string Version, string Model), Folded> _folded = [];
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private int _started;
    private long _dropped;
    private long _pending;
    private int _droppedLogged;
    private int _disposed;

    public UsageRecorder(ICatalogStore store, string project, UsageRecorderOptions options, TimeProvider time, ILogger logger)
    {
        _store = store;
        _project = project;
        _options = options;
        _time = time;
        _logger = logger;
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
            if (Volatile.Read(ref _disposed) != 0)
            {
                Dropped1();
                return false;
            }

            if (Volatile.Read(ref _started) == 0)
            {
                Start();
            }

            if (Interlocked.Increment(ref _pending) > _options.QueueCapacity)
            {
                Interlocked.Decrement(ref _pending);
                Dropped1();
                return false;
            }

            var key = new UseKey(features, model);
            var at = _time.GetUtcNow().UtcTicks;
            while (true)
            {
                var counter = _counters.GetOrAdd(key, static _ => new UseCounter());
                if (counter.Add(at))
                {
                    return true;
                }

                // Retired by a flush between the lookup and the count: count again on its successor.
            }
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
            foreach (var (key, counter) in _counters)
            {
                var (count, last) = counter.Take();
                if (count == 0)
                {
                    // Idle since the last flush (often a registry snapshot no longer served): retire it so the
                    // dictionary holds only live keys; uses counted while it retires are taken, not lost.
                    if (!_counters.TryRemove(new KeyValuePair<UseKey, UseCounter>(key, counter)))
                    {
                        continue;
                    }

                    (count, last) = counter.Retire();
                    if (count == 0)
                    {
                        continue;
                    }
                }

                Interlocked.Add(ref _pending, -count);
                var at = new DateTimeOffset(last, TimeSpan.Zero);
                foreach (var feature in key.Features)
                {
                    var folded = (feature.Feature, feature.Version, key.Model);
                    _folded[folded] = _folded.TryGetValue(folded, out var before)
                        ? new Folded(before.Count + count, at > before.Last ? at : before.Last)
                        : new Folded(count, at);
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

    // The features array is compared by reference: one per feature service and registry snapshot.
    private readonly record struct UseKey(UsedFeature[] Features, string Model);

    private readonly record struct Folded(long Count, DateTimeOffset Last);
}

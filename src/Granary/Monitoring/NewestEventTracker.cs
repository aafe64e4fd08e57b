using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;
using Granary.Core.Time;
using Granary.Core.Values;
using Granary.Online;
using Granary.Registry.Monitoring;
using Microsoft.Extensions.Logging;

namespace Granary.Monitoring;

/// <summary>
/// Keeps the newest event time written per view, for freshness. <see cref="Observe"/> reads each write's event time
/// from its record (no decoding) and keeps a running maximum per view, so the write path pays a comparison per record
/// and a dictionary update per view and batch. The maxima reach the registry (<see cref="IMonitoringStore"/>) in
/// <see cref="FlushAsync"/>: after each materialization, every <see cref="FlushInterval"/> once anything was observed
/// (pushes), and on disposal. A flush that fails keeps its maxima for the next one: freshness must not fall behind
/// because the registry was briefly away.
/// </summary>
[SuppressMessage("Usage", ProviderDiagnostics.ExperimentalId, Justification = "The monitoring store is the registry's own.")]
internal sealed class NewestEventTracker : IAsyncDisposable
{
    /// <summary>How often observed times are written while writes keep arriving.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(5);

    private readonly IMonitoringStore _store;
    private readonly string _project;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Cell> _views = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private int _started;
    private int _disposed;

    public NewestEventTracker(IMonitoringStore store, string project, TimeProvider time, ILogger logger)
    {
        _store = store;
        _project = project;
        _time = time;
        _logger = logger;
    }

    /// <summary>Takes the event times of <paramref name="writes"/>; a write to a version's namespace (<c>view@v2</c>) counts for its view.</summary>
    public void Observe(IReadOnlyList<OnlineWrite> writes)
    {
        string? view = null;
        var newest = long.MinValue;
        for (var i = 0; i < writes.Count; i++)
        {
            var write = writes[i];
            if (!ReferenceEquals(write.View, view) && write.View != view)
            {
                Advance(view, newest);
                view = write.View;
                newest = long.MinValue;
            }

            newest = Math.Max(newest, OnlineRecord.EventMicros(write.Record));
        }

        Advance(view, newest);
    }

    /// <summary>Writes the times that moved since the last flush. Never throws for the registry's sake: a failure is logged and retried later.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            var moved = new List<(Cell Cell, long Micros)>();
            var events = new List<ViewNewestEvent>();
            var now = _time.GetUtcNow();
            foreach (var (view, cell) in _views)
            {
                var micros = Interlocked.Read(ref cell.Newest);
                if (micros > cell.Flushed)
                {
                    moved.Add((cell, micros));
                    events.Add(new ViewNewestEvent(view, UtcMicros.ToDateTimeOffset(micros), now));
                }
            }

            if (events.Count == 0)
            {
                return;
            }

            try
            {
                await _store.RecordNewestEventsAsync(_project, events, cancellationToken);
                foreach (var (cell, micros) in moved)
                {
                    cell.Flushed = micros;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                MonitoringLog.NewestEventsFailed(_logger, events.Count, e.Message, e);
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

        await _stop.CancelAsync();
        if (_loop is { } loop)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await FlushAsync();
        _stop.Dispose();
        _flushing.Dispose();
    }

    private void Advance(string? view, long micros)
    {
        if (view is null || micros == long.MinValue)
        {
            return;
        }

        var at = view.IndexOf('@', StringComparison.Ordinal);
        var cell = _views.GetOrAdd(at < 0 ? view : view[..at], static _ => new Cell());
        var seen = Interlocked.Read(ref cell.Newest);
        while (micros > seen)
        {
            var found = Interlocked.CompareExchange(ref cell.Newest, micros, seen);
            if (found == seen)
            {
                break;
            }

            seen = found;
        }

        if (Volatile.Read(ref _started) == 0 && Interlocked.Exchange(ref _started, 1) == 0 && Volatile.Read(ref _disposed) == 0)
        {
            _loop = Task.Run(LoopAsync);
        }
    }

    private async Task LoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(FlushInterval, _time, _stop.Token);
                await FlushAsync(_stop.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposal flushes what is left.
        }
    }

    private sealed class Cell
    {
        public long Newest = long.MinValue;
        public long Flushed = long.MinValue;
    }
}

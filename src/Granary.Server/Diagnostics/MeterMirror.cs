using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Granary.Server.Diagnostics;

/// <summary>
/// Mirrors the instruments other parts record on the server's meter into its Prometheus series: stream ingestion's
/// (<see cref="ServerMetricDefinitions.StreamLag"/>, <see cref="ServerMetricDefinitions.RejectedLate"/>,
/// <see cref="ServerMetricDefinitions.RejectedInvalid"/>) and the online read cache's counters. Ingestion runs in the
/// facade (push) and in consumers, the cache in the online store, and they know the host's meter but not the server;
/// listening to the server's own meter (the instance its meter factory gives both) keeps another server's or
/// process's measurements out of these series.
/// </summary>
internal sealed class MeterMirror : IDisposable
{
    private readonly Meter _meter;
    private readonly MeterListener _listener = new();
    private readonly Prometheus.Histogram _lag;
    private readonly Prometheus.Counter _rejectedLate;
    private readonly ConcurrentDictionary<string, Prometheus.Histogram.Child> _lagChildren = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string View, string Source), Prometheus.Counter.Child> _lateChildren = new();
    private readonly Prometheus.Counter _rejectedInvalid;
    private readonly ConcurrentDictionary<(string View, string Source), Prometheus.Counter.Child> _invalidChildren = new();
    private readonly Dictionary<string, Prometheus.Counter> _plainCounters;

    /// <param name="meter">The server's meter, whose stream instruments are mirrored.</param>
    /// <param name="lag">The Prometheus series of <see cref="ServerMetricDefinitions.StreamLag"/>.</param>
    /// <param name="rejectedLate">The Prometheus series of <see cref="ServerMetricDefinitions.RejectedLate"/>.</param>
    /// <param name="rejectedInvalid">The Prometheus series of <see cref="ServerMetricDefinitions.RejectedInvalid"/>.</param>
    /// <param name="plainCounters">Counters without tags, by instrument name, and the series each is mirrored into.</param>
    public MeterMirror(Meter meter, Prometheus.Histogram lag, Prometheus.Counter rejectedLate, Prometheus.Counter rejectedInvalid, Dictionary<string, Prometheus.Counter> plainCounters)
    {
        _plainCounters = plainCounters;
        _rejectedInvalid = rejectedInvalid;
        _meter = meter;
        _lag = lag;
        _rejectedLate = rejectedLate;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, _meter)
                && (instrument.Name == ServerMetricDefinitions.StreamLag.Name || instrument.Name == ServerMetricDefinitions.RejectedLate.Name
                    || instrument.Name == ServerMetricDefinitions.RejectedInvalid.Name || _plainCounters.ContainsKey(instrument.Name)))
            {
                listener.EnableMeasurementEvents(instrument, this);
            }
        };
        _listener.SetMeasurementEventCallback<double>(static (instrument, value, tags, state) => ((MeterMirror)state!).Lag(value, tags));
        _listener.SetMeasurementEventCallback<long>(static (instrument, value, tags, state) => ((MeterMirror)state!).Counted(instrument, value, tags));
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    private void Lag(double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var view = Tag(tags, ServerMetricDefinitions.StreamLag.Tags[0]);
        _lagChildren.GetOrAdd(view, static (v, lag) => lag.WithLabels(v), _lag).Observe(seconds);
    }

    // The long instruments: a plain counter is mirrored as it is, the two rejection counters by view and source.
    private void Counted(Instrument instrument, long count, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_plainCounters.TryGetValue(instrument.Name, out var plain))
        {
            plain.Inc(count);
        }
        else
        {
            Rejected(instrument, count, tags);
        }
    }

    private void Rejected(Instrument instrument, long count, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = (Tag(tags, ServerMetricDefinitions.RejectedLate.Tags[0]), Tag(tags, ServerMetricDefinitions.RejectedLate.Tags[1]));
        var (children, series) = instrument.Name == ServerMetricDefinitions.RejectedInvalid.Name ? (_invalidChildren, _rejectedInvalid) : (_lateChildren, _rejectedLate);
        children.GetOrAdd(key, static (k, counter) => counter.WithLabels(k.View, k.Source), series).Inc(count);
    }

    private static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value as string ?? "";
            }
        }

        return "";
    }
}

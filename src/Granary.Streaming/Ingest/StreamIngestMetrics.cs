using System.Diagnostics.Metrics;
using Granary.Core.Diagnostics;

namespace Granary.Streaming.Ingest;

/// <summary>
/// The ingestion's measurements, on the <c>Granary</c> meter (docs/observability.md): how long an event took from its
/// event time to being servable (its state committed), how many events were rejected as later than the allowed
/// lateness, and how many as failing a validation rule. The server mirrors the first two into its Prometheus series.
/// </summary>
internal sealed class StreamIngestMetrics
{
    public const string LagName = "granary.stream.event_to_servable.lag";
    public const string RejectedLateName = "granary.stream.events.rejected_late";
    public const string RejectedInvalidName = "granary.stream.events.rejected_invalid";
    public const string ViewTag = "feature_view";
    public const string SourceTag = "stream_source";

    private static readonly Meter Shared = new(GranaryTelemetry.MeterName);
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IMeterFactory, StreamIngestMetrics> ByFactory = new();
    private static readonly Lazy<StreamIngestMetrics> Default = new(() => new StreamIngestMetrics(null));

    private readonly Histogram<double> _lag;
    private readonly Counter<long> _rejectedLate;
    private readonly Counter<long> _rejectedInvalid;

    /// <param name="meterFactory">The host's meter factory; null for a meter of the process's own.</param>
    private StreamIngestMetrics(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(GranaryTelemetry.MeterName) ?? Shared;
        _lag = meter.CreateHistogram<double>(
            LagName, "s", "Time from an event's event time to its aggregate state being committed and servable.");
        _rejectedLate = meter.CreateCounter<long>(
            RejectedLateName, "{event}", "Events not applied because they were later than their view's allowed_lateness.");
        _rejectedInvalid = meter.CreateCounter<long>(
            RejectedInvalidName, "{event}", "Events not applied because they fail an error validation rule of their view's event columns.");
    }

    /// <summary>The metrics of <paramref name="meterFactory"/>'s meter, created once per factory (instruments are not to be made per call).</summary>
    public static StreamIngestMetrics For(IMeterFactory? meterFactory) =>
        meterFactory is null ? Default.Value : ByFactory.GetValue(meterFactory, static f => new StreamIngestMetrics(f));

    public void Servable(string view, IReadOnlyList<long> eventMicros, long nowMicros)
    {
        if (!_lag.Enabled)
        {
            return;
        }

        var tag = new KeyValuePair<string, object?>(ViewTag, view);
        foreach (var micros in eventMicros)
        {
            _lag.Record(Math.Max(0, nowMicros - micros) / 1e6, tag);
        }
    }

    public void RejectedLate(string view, string source, int count)
    {
        if (count > 0)
        {
            _rejectedLate.Add(count, new KeyValuePair<string, object?>(ViewTag, view), new KeyValuePair<string, object?>(SourceTag, source));
        }
    }

    public void RejectedInvalid(string view, string source, int count)
    {
        if (count > 0)
        {
            _rejectedInvalid.Add(count, new KeyValuePair<string, object?>(ViewTag, view), new KeyValuePair<string, object?>(SourceTag, source));
        }
    }
}

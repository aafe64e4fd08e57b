using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Granary.OnlineServing;
using Prometheus;

namespace Granary.Server.Diagnostics;

/// <summary>
/// The server's measurements, published twice: as prometheus-net collectors, which <c>/metrics</c> serves
/// (<c>granary_server_request_duration_seconds</c>, ...), and as instruments of the <c>Granary</c> meter, named as
/// OpenTelemetry's conventions ask (<c>granary.server.request.duration</c>, ...), for an application that exports
/// with OpenTelemetry instead.
/// </summary>
/// <remarks>
/// A meter instrument nobody listens to costs a branch, so the meter side is free unless used. The Prometheus side
/// uses prometheus-net's own collectors, whose children (one per label set) are looked up once and cached here, so a
/// request's recording is a few interlocked adds with no allocation; the per-value counts (statuses, records per view)
/// are also kept per instance, as plain adds whose totals the meter's observable counters read when an exporter
/// collects (the Prometheus collectors are process-wide; a meter reports only its own server).
/// </remarks>
internal sealed class ServerMetrics
{
    /// <summary>The meter's name, for exporters that select meters by name.</summary>
    public const string MeterName = "Granary";

    // First of the static fields: the default registry is set up (adapters off) before any collector is added to it.
    private static readonly bool PrometheusConfigured = PrometheusExport.EnsureConfigured();

    // Serving latencies range from tens of microseconds (embedded store) to seconds (materialize): 100 µs doubling to ~13 s.
    private static readonly double[] SecondsBuckets = Prometheus.Histogram.ExponentialBuckets(0.0001, 2, 18);
    private static readonly string[] StatusNames = [.. Enum.GetValues<FeatureStatus>().Select(s => s.WireName())];

    private static readonly Prometheus.Histogram RequestDurations = Prometheus.Metrics.CreateHistogram(
        "granary_server_request_duration_seconds", "Time to handle a request, by endpoint and status code; its count is the number of requests.",
        new HistogramConfiguration { LabelNames = ["endpoint", "http_response_status_code"], Buckets = SecondsBuckets });

    private static readonly Prometheus.Counter Errors = Prometheus.Metrics.CreateCounter(
        "granary_server_errors_total", "Requests refused or failed, by endpoint and stable error code.", new CounterConfiguration { LabelNames = ["endpoint", "error_type"] });

    private static readonly Prometheus.Counter Statuses = Prometheus.Metrics.CreateCounter(
        "granary_online_feature_statuses_total", "Online feature values served, by status (PRESENT, NULL_VALUE, NOT_FOUND, OUTSIDE_MAX_AGE).", new CounterConfiguration { LabelNames = ["status"] });

    private static readonly Prometheus.Counter StoreReads = Prometheus.Metrics.CreateCounter(
        "granary_online_store_reads_total", "Records read from the online store (entities looked up), by feature view.", new CounterConfiguration { LabelNames = ["feature_view"] });

    private static readonly Prometheus.Histogram StoreReadDurations = Prometheus.Metrics.CreateHistogram(
        "granary_online_store_read_duration_seconds", "Time of one batched online store read, by store type.",
        new HistogramConfiguration { LabelNames = ["online_store_type"], Buckets = SecondsBuckets });

    private static readonly Prometheus.Histogram StoreWriteDurations = Prometheus.Metrics.CreateHistogram(
        "granary_online_store_write_duration_seconds", "Time of one batched online store write, by store type.",
        new HistogramConfiguration { LabelNames = ["online_store_type"], Buckets = SecondsBuckets });

    private static readonly Prometheus.Counter PushedRowsTotal = Prometheus.Metrics.CreateCounter(
        "granary_push_rows_total", "Rows accepted by push and write-to-online-store.");

    private readonly Histogram<double> _requestDuration;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _storeReadDuration;
    private readonly Histogram<double> _storeWriteDuration;
    private readonly Counter<long> _pushedRows;
    private readonly Prometheus.Counter.Child[] _statusChildren = [.. StatusNames.Select(s => Statuses.WithLabels(s))];
    private readonly ConcurrentDictionary<(string Endpoint, int Status), Prometheus.Histogram.Child> _requestChildren = new();
    private readonly ConcurrentDictionary<string, ViewReadCounter> _viewReads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (Prometheus.Histogram.Child Read, Prometheus.Histogram.Child Write)> _storeChildren = new(StringComparer.Ordinal);

    // This instance's own totals for the meter's observable counters (the Prometheus collectors are process-wide).
    private readonly long[] _statusTotals = new long[StatusNames.Length];

    public ServerMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _requestDuration = meter.CreateHistogram<double>(
            "granary.server.request.duration", "s", "Time to handle a request, by endpoint and status code; its count is the number of requests.");
        _errors = meter.CreateCounter<long>("granary.server.errors", "{error}", "Requests refused or failed, by endpoint and stable error code.");
        meter.CreateObservableCounter(
            "granary.online.feature.statuses", ObserveStatuses, "{value}", "Online feature values served, by status (PRESENT, NULL_VALUE, NOT_FOUND, OUTSIDE_MAX_AGE).");
        meter.CreateObservableCounter("granary.online_store.reads", ObserveViewReads, "{record}", "Records read from the online store (entities looked up), by feature view.");
        _storeReadDuration = meter.CreateHistogram<double>("granary.online_store.read.duration", "s", "Time of one batched online store read, by store type.");
        _storeWriteDuration = meter.CreateHistogram<double>("granary.online_store.write.duration", "s", "Time of one batched online store write, by store type.");
        _pushedRows = meter.CreateCounter<long>("granary.push.rows", "{row}", "Rows accepted by push and write-to-online-store.");
    }

    public void Request(string endpoint, int status, long startedAt)
    {
        var seconds = Stopwatch.GetElapsedTime(startedAt).TotalSeconds;
        _requestChildren.GetOrAdd((endpoint, status), static key => RequestDurations.WithLabels(key.Endpoint, StatusText(key.Status))).Observe(seconds);
        if (_requestDuration.Enabled)
        {
            _requestDuration.Record(seconds, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("http.response.status_code", StatusText(status)));
        }
    }

    public void Error(string endpoint, string code)
    {
        Errors.WithLabels(endpoint, code).Inc();
        _errors.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("error.type", code));
    }

    /// <summary>Counts every feature value of one answered online request by status (join key columns left out).</summary>
    public void Lookup(OnlineFeaturesResponse response, int joinKeys)
    {
        Span<long> counts = stackalloc long[StatusNames.Length];
        var results = response.Results;
        for (var c = joinKeys; c < results.Count; c++)
        {
            foreach (var status in results[c].Statuses)
            {
                counts[(int)status]++;
            }
        }

        for (var s = 0; s < counts.Length; s++)
        {
            if (counts[s] > 0)
            {
                _statusChildren[s].Inc(counts[s]);
                Interlocked.Add(ref _statusTotals[s], counts[s]);
            }
        }
    }

    public void StoreRead(string store, long startedAt)
    {
        var seconds = Stopwatch.GetElapsedTime(startedAt).TotalSeconds;
        StoreChildren(store).Read.Observe(seconds);
        if (_storeReadDuration.Enabled)
        {
            _storeReadDuration.Record(seconds, new KeyValuePair<string, object?>("online_store.type", store));
        }
    }

    public void StoreWrite(string store, long startedAt)
    {
        var seconds = Stopwatch.GetElapsedTime(startedAt).TotalSeconds;
        StoreChildren(store).Write.Observe(seconds);
        _storeWriteDuration.Record(seconds, new KeyValuePair<string, object?>("online_store.type", store));
    }

    /// <summary>Counts records read per feature view; keys arrive grouped by view, so this is one add per view.</summary>
    public void ViewReads(string view, long records)
    {
        // The view names come from the registry, so the set of counters is as bounded as the registry.
        var counter = _viewReads.GetOrAdd(view, static name => new ViewReadCounter(StoreReads.WithLabels(name)));
        counter.Child.Inc(records);
        Interlocked.Add(ref counter.Total, records);
    }

    public void PushedRows(long rows)
    {
        PushedRowsTotal.Inc(rows);
        _pushedRows.Add(rows);
    }

    private (Prometheus.Histogram.Child Read, Prometheus.Histogram.Child Write) StoreChildren(string store) =>
        _storeChildren.GetOrAdd(store, static name => (StoreReadDurations.WithLabels(name), StoreWriteDurations.WithLabels(name)));

    private IEnumerable<Measurement<long>> ObserveStatuses()
    {
        for (var s = 0; s < StatusNames.Length; s++)
        {
            yield return new Measurement<long>(Volatile.Read(ref _statusTotals[s]), new KeyValuePair<string, object?>("status", StatusNames[s]));
        }
    }

    private IEnumerable<Measurement<long>> ObserveViewReads()
    {
        foreach (var (view, counter) in _viewReads)
        {
            yield return new Measurement<long>(Volatile.Read(ref counter.Total), new KeyValuePair<string, object?>("feature_view", view));
        }
    }

    /// <summary>One view's Prometheus child and this instance's own total of its reads.</summary>
    private sealed class ViewReadCounter(Prometheus.Counter.Child child)
    {
        public Prometheus.Counter.Child Child { get; } = child;

        public long Total;
    }

    // Status codes as cached strings: a boxed int tag would allocate on every request.
    private static string StatusText(int status) => status switch
    {
        200 => "200",
        400 => "400",
        404 => "404",
        409 => "409",
        413 => "413",
        500 => "500",
        503 => "503",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

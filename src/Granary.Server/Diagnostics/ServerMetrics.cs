using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Granary.Core.Diagnostics;
using Granary.OnlineServing;
using Prometheus;

namespace Granary.Server.Diagnostics;

/// <summary>
/// The server's measurements, each series defined once (<see cref="ServerMetricDefinitions"/>) and recorded to both of
/// its forms: a prometheus-net collector in this server's own <see cref="Registry"/>, which <c>/metrics</c> serves
/// (<c>granary_server_request_duration_seconds</c>, ...), and an instrument of the <c>Granary</c> meter
/// (<c>granary.server.request.duration</c>, ...), for an application that exports with OpenTelemetry instead.
/// </summary>
/// <remarks>
/// <para>
/// A registry per server, never prometheus-net's process-wide default one: two servers in one process each count only
/// their own requests, and an application that uses prometheus-net itself keeps its default registry and its settings
/// as it configured them. The registry also carries prometheus-net's process and GC statistics (<c>process_*</c>,
/// <c>dotnet_*</c>), as <c>/metrics</c> always has. A custom registry has none of the default registry's adapters,
/// which Granary used to turn off process-wide: the adapter for .NET meters cost about 0.25 µs per histogram value (a
/// request's metrics: 0.60 µs through it, 0.18 µs with prometheus-net's own collectors; docs/BENCHMARKS.md, "Feature
/// server"), and would record ASP.NET Core's and Kestrel's meters on every request.
/// </para>
/// <para>
/// Recording costs what it did: each label set's Prometheus child is looked up once and cached, so a request is a few
/// interlocked adds with no allocation, and a meter instrument nobody listens to costs a branch. The per-value counts
/// (statuses, records per view) are counted once, in the Prometheus children, which the meter's observable counters
/// read when an exporter collects.
/// </para>
/// </remarks>
internal sealed class ServerMetrics : IDisposable
{
    /// <summary>The meter's name, for exporters that select meters by name.</summary>
    public const string MeterName = GranaryTelemetry.MeterName;

    private const string LagUndelivered = "undelivered";
    private const string LagUnacknowledged = "unacknowledged";

    private static readonly string[] StatusNames = [.. Enum.GetValues<FeatureStatus>().Select(s => s.WireName())];

    private readonly Prometheus.Histogram _requestDurations;
    private readonly Prometheus.Counter _errors;
    private readonly Prometheus.Counter _storeReads;
    private readonly Prometheus.Histogram _storeReadDurations;
    private readonly Prometheus.Histogram _storeWriteDurations;
    private readonly Prometheus.Counter _pushedRowsTotal;
    private readonly Prometheus.Counter.Child[] _statusChildren;
    private readonly ConcurrentDictionary<(string Endpoint, int Status), Prometheus.Histogram.Child> _requestChildren = new();
    private readonly ConcurrentDictionary<string, Prometheus.Counter.Child> _viewReads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (Prometheus.Histogram.Child Read, Prometheus.Histogram.Child Write)> _storeChildren = new(StringComparer.Ordinal);

    private readonly Histogram<double> _requestDuration;
    private readonly Counter<long> _errorCount;
    private readonly Histogram<double> _storeReadDuration;
    private readonly Histogram<double> _storeWriteDuration;
    private readonly Counter<long> _pushedRows;
    private readonly MeterMirror _mirror;
    private readonly Prometheus.Gauge _consumerLag;
    private volatile IReadOnlyList<Granary.Streams.StreamSourceLag> _lastLags = [];
    private readonly Prometheus.Gauge _freshnessAge;
    private volatile FreshnessSnapshot _freshness = new([], TimeProvider.System);

    public ServerMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var prometheus = Prometheus.Metrics.WithCustomRegistry(Registry);
        _requestDurations = ServerMetricDefinitions.RequestDuration.CreateHistogram(prometheus);
        _errors = ServerMetricDefinitions.Errors.CreateCounter(prometheus);
        var statuses = ServerMetricDefinitions.FeatureStatuses.CreateCounter(prometheus);
        _statusChildren = [.. StatusNames.Select(s => statuses.WithLabels(s))];
        _storeReads = ServerMetricDefinitions.StoreReads.CreateCounter(prometheus);
        _storeReadDurations = ServerMetricDefinitions.StoreReadDuration.CreateHistogram(prometheus);
        _storeWriteDurations = ServerMetricDefinitions.StoreWriteDuration.CreateHistogram(prometheus);
        _pushedRowsTotal = ServerMetricDefinitions.PushedRows.CreateCounter(prometheus);
        var streamLag = ServerMetricDefinitions.StreamLag.CreateHistogram(prometheus);
        var rejectedLate = ServerMetricDefinitions.RejectedLate.CreateCounter(prometheus);
        var rejectedInvalid = ServerMetricDefinitions.RejectedInvalid.CreateCounter(prometheus);
        _consumerLag = ServerMetricDefinitions.ConsumerLag.CreateGauge(prometheus);
        _freshnessAge = ServerMetricDefinitions.FreshnessAge.CreateGauge(prometheus);
        var cacheCounters = new Dictionary<string, Prometheus.Counter>(StringComparer.Ordinal)
        {
            [ServerMetricDefinitions.CacheHits.Name] = ServerMetricDefinitions.CacheHits.CreateCounter(prometheus),
            [ServerMetricDefinitions.CacheMisses.Name] = ServerMetricDefinitions.CacheMisses.CreateCounter(prometheus),
            [ServerMetricDefinitions.CacheEvictions.Name] = ServerMetricDefinitions.CacheEvictions.CreateCounter(prometheus),
        };

        // Ages move with the clock, not with writes: each is computed when the series is collected.
        Registry.AddBeforeCollectCallback(SetFreshnessAges);

        // After Granary's own series, so /metrics lists them in the order it always has.
        DotNetStats.Register(Registry);

        var meter = meterFactory.Create(MeterName);
        _requestDuration = ServerMetricDefinitions.RequestDuration.CreateHistogram(meter);
        _errorCount = ServerMetricDefinitions.Errors.CreateCounter(meter);
        ServerMetricDefinitions.FeatureStatuses.CreateObservableCounter(meter, ObserveStatuses);
        ServerMetricDefinitions.StoreReads.CreateObservableCounter(meter, ObserveViewReads);
        _storeReadDuration = ServerMetricDefinitions.StoreReadDuration.CreateHistogram(meter);
        _storeWriteDuration = ServerMetricDefinitions.StoreWriteDuration.CreateHistogram(meter);
        _pushedRows = ServerMetricDefinitions.PushedRows.CreateCounter(meter);
        _mirror = new MeterMirror(meter, streamLag, rejectedLate, rejectedInvalid, cacheCounters);
        ServerMetricDefinitions.ConsumerLag.CreateObservableGauge(meter, ObserveConsumerLag);
        ServerMetricDefinitions.FreshnessAge.CreateObservableGauge(meter, ObserveFreshnessAges);
    }

    /// <summary>Stops mirroring the instruments of stream ingestion and the read cache.</summary>
    public void Dispose() => _mirror.Dispose();

    /// <summary>This server's Prometheus series, which <c>MapGranaryMetrics</c> serves.</summary>
    public CollectorRegistry Registry { get; }

    public void Request(string endpoint, int status, long startedAt)
    {
        var seconds = Stopwatch.GetElapsedTime(startedAt).TotalSeconds;
        _requestChildren.GetOrAdd((endpoint, status), static (key, durations) => durations.WithLabels(key.Endpoint, StatusText(key.Status)), _requestDurations)
            .Observe(seconds);
        if (_requestDuration.Enabled)
        {
            _requestDuration.Record(seconds, new KeyValuePair<string, object?>(ServerMetricDefinitions.EndpointTag, endpoint), new KeyValuePair<string, object?>(ServerMetricDefinitions.StatusCodeTag, StatusText(status)));
        }
    }

    public void Error(string endpoint, string code)
    {
        _errors.WithLabels(endpoint, code).Inc();
        _errorCount.Add(1, new KeyValuePair<string, object?>(ServerMetricDefinitions.EndpointTag, endpoint), new KeyValuePair<string, object?>(ServerMetricDefinitions.ErrorTypeTag, code));
    }

    /// <summary>
    /// Counts every feature value of one answered online request by status (join key columns left out), and tags the
    /// request's span, if it has one, with the entity rows and features it served.
    /// </summary>
    public void Lookup(OnlineFeaturesResponse response, int joinKeys)
    {
        ServerTelemetry.Lookup(response.RowCount, response.Results.Count - joinKeys);
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
            }
        }
    }

    public void StoreRead(string store, long startedAt)
    {
        var seconds = Stopwatch.GetElapsedTime(startedAt).TotalSeconds;
        StoreChildren(store).Read.Observe(seconds);
        if (_storeReadDuration.Enabled)
        {
            _storeReadDuration.Record(seconds, new KeyValuePair<string, object?>(ServerMetricDefinitions.StoreTypeTag, store));
        }
    }

    public void StoreWrite(string store, long startedAt)
    {
        var seconds = Stopwatch.GetElapsedTime(startedAt).TotalSeconds;
        StoreChildren(store).Write.Observe(seconds);
        _storeWriteDuration.Record(seconds, new KeyValuePair<string, object?>(ServerMetricDefinitions.StoreTypeTag, store));
    }

    /// <summary>Counts records read per feature view; keys arrive grouped by view, so this is one add per view.</summary>
    public void ViewReads(string view, long records)
    {
        // The view names come from the registry, so the set of counters is as bounded as the registry.
        _viewReads.GetOrAdd(view, static (name, reads) => reads.WithLabels(name), _storeReads).Inc(records);
    }

    /// <summary>Counts the rows of one push or write, and tags the request's span, if it has one, with them.</summary>
    public void PushedRows(long rows)
    {
        ServerTelemetry.Pushed(rows);
        _pushedRowsTotal.Inc(rows);
        _pushedRows.Add(rows);
    }

    /// <summary>The stream sources' lag as last asked of them; a source that cannot count its undelivered messages reports unacknowledged only.</summary>
    public void ConsumerLag(IReadOnlyList<Granary.Streams.StreamSourceLag> lags)
    {
        foreach (var lag in lags)
        {
            if (lag.Undelivered is { } undelivered)
            {
                _consumerLag.WithLabels(lag.Source, LagUndelivered).Set(undelivered);
            }
            else
            {
                _consumerLag.WithLabels(lag.Source, LagUndelivered).Remove();
            }

            _consumerLag.WithLabels(lag.Source, LagUnacknowledged).Set(lag.Unacknowledged);
        }

        _lastLags = lags;
    }

    /// <summary>The newest event times of every view, as the freshness poller last read them; ages are taken from <paramref name="clock"/> when collected.</summary>
    public void Freshness(IReadOnlyList<Granary.Monitoring.ViewFreshness> views, TimeProvider clock)
    {
        var newest = new List<(string View, DateTimeOffset NewestEvent)>(views.Count);
        foreach (var view in views)
        {
            if (view.NewestEvent is { } at)
            {
                newest.Add((view.Name, at));
            }
        }

        _freshness = new FreshnessSnapshot(newest, clock);
    }

    private void SetFreshnessAges()
    {
        var snapshot = _freshness;
        var now = snapshot.Clock.GetUtcNow();
        foreach (var (view, newest) in snapshot.Views)
        {
            _freshnessAge.WithLabels(view).Set(Age(now, newest));
        }
    }

    private IEnumerable<Measurement<double>> ObserveFreshnessAges()
    {
        var snapshot = _freshness;
        var now = snapshot.Clock.GetUtcNow();
        foreach (var (view, newest) in snapshot.Views)
        {
            yield return new Measurement<double>(Age(now, newest), new KeyValuePair<string, object?>(ServerMetricDefinitions.FeatureViewTag, view));
        }
    }

    private static double Age(DateTimeOffset now, DateTimeOffset newest) => now > newest ? (now - newest).TotalSeconds : 0;

    private IEnumerable<Measurement<long>> ObserveConsumerLag()
    {
        foreach (var lag in _lastLags)
        {
            var source = new KeyValuePair<string, object?>(Streaming.Ingest.StreamIngestMetrics.SourceTag, lag.Source);
            if (lag.Undelivered is { } undelivered)
            {
                yield return new Measurement<long>(undelivered, source, new KeyValuePair<string, object?>(ServerMetricDefinitions.LagKindTag, LagUndelivered));
            }

            yield return new Measurement<long>(lag.Unacknowledged, source, new KeyValuePair<string, object?>(ServerMetricDefinitions.LagKindTag, LagUnacknowledged));
        }
    }

    private (Prometheus.Histogram.Child Read, Prometheus.Histogram.Child Write) StoreChildren(string store) =>
        _storeChildren.GetOrAdd(store, static (name, metrics) => (metrics._storeReadDurations.WithLabels(name), metrics._storeWriteDurations.WithLabels(name)), this);

    // Counts are whole numbers far below 2^53, exact in the children's doubles.
    private IEnumerable<Measurement<long>> ObserveStatuses()
    {
        for (var s = 0; s < StatusNames.Length; s++)
        {
            yield return new Measurement<long>((long)_statusChildren[s].Value, new KeyValuePair<string, object?>(ServerMetricDefinitions.StatusTag, StatusNames[s]));
        }
    }

    private IEnumerable<Measurement<long>> ObserveViewReads()
    {
        foreach (var (view, child) in _viewReads)
        {
            yield return new Measurement<long>((long)child.Value, new KeyValuePair<string, object?>(ServerMetricDefinitions.FeatureViewTag, view));
        }
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

    private sealed record FreshnessSnapshot(IReadOnlyList<(string View, DateTimeOffset NewestEvent)> Views, TimeProvider Clock);
}

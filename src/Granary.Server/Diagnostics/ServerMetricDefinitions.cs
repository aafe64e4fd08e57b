namespace Granary.Server.Diagnostics;

/// <summary>
/// The server's series, each defined once (<see cref="MetricDefinition"/>): instruments of the <c>Granary</c> meter
/// and, from the same definitions, the Prometheus series <c>/metrics</c> serves. docs/observability.md lists them.
/// </summary>
internal static class ServerMetricDefinitions
{
    // Tag names, shared by the definitions and the recording calls.
    public const string EndpointTag = "endpoint";
    public const string StatusCodeTag = "http.response.status_code";
    public const string ErrorTypeTag = "error.type";
    public const string StatusTag = "status";
    public const string FeatureViewTag = "feature_view";
    public const string StoreTypeTag = "online_store.type";

    // Serving latencies range from tens of microseconds (embedded store) to seconds (materialize): 100 µs doubling to ~13 s.
    private static readonly double[] SecondsBuckets = Prometheus.Histogram.ExponentialBuckets(0.0001, 2, 18);

    public static readonly MetricDefinition RequestDuration = MetricDefinition.Histogram(
        "granary.server.request.duration", "s", "Time to handle a request, by endpoint and status code; its count is the number of requests.",
        SecondsBuckets, EndpointTag, StatusCodeTag);

    public static readonly MetricDefinition Errors = MetricDefinition.Counter(
        "granary.server.errors", "{error}", "Requests refused or failed, by endpoint and stable error code.", EndpointTag, ErrorTypeTag);

    public static readonly MetricDefinition FeatureStatuses = MetricDefinition.Counter(
        "granary.online.feature.statuses", "{value}", "Online feature values served, by status (PRESENT, NULL_VALUE, NOT_FOUND, OUTSIDE_MAX_AGE).", StatusTag);

    public static readonly MetricDefinition StoreReads = MetricDefinition.Counter(
        "granary.online_store.reads", "{record}", "Records read from the online store (entities looked up), by feature view.", FeatureViewTag);

    public static readonly MetricDefinition StoreReadDuration = MetricDefinition.Histogram(
        "granary.online_store.read.duration", "s", "Time of one batched online store read, by store type.", SecondsBuckets, StoreTypeTag);

    public static readonly MetricDefinition StoreWriteDuration = MetricDefinition.Histogram(
        "granary.online_store.write.duration", "s", "Time of one batched online store write, by store type.", SecondsBuckets, StoreTypeTag);

    public static readonly MetricDefinition PushedRows = MetricDefinition.Counter(
        "granary.push.rows", "{row}", "Rows accepted by push and write-to-online-store.");

    // Event-to-servable lags range from a millisecond (a push answered at once) to minutes (a consumer catching up): 1 ms doubling to ~65 s.
    private static readonly double[] LagBuckets = Prometheus.Histogram.ExponentialBuckets(0.001, 2, 17);

    /// <summary>
    /// Recorded by stream ingestion (<see cref="Streaming.Ingest.StreamIngestMetrics"/>, the instrument of the meter);
    /// the server mirrors it into its Prometheus series.
    /// </summary>
    public static readonly MetricDefinition StreamLag = MetricDefinition.Histogram(
        Streaming.Ingest.StreamIngestMetrics.LagName, "s", "Time from an event's event time to its aggregate state being committed and servable, by stream feature view.",
        LagBuckets, Streaming.Ingest.StreamIngestMetrics.ViewTag);

    /// <summary>Recorded by stream ingestion, as <see cref="StreamLag"/>.</summary>
    public static readonly MetricDefinition RejectedLate = MetricDefinition.Counter(
        Streaming.Ingest.StreamIngestMetrics.RejectedLateName, "{event}", "Events not applied because they were later than their view's allowed_lateness, by stream feature view and source.",
        Streaming.Ingest.StreamIngestMetrics.ViewTag, Streaming.Ingest.StreamIngestMetrics.SourceTag);

    /// <summary>Recorded by stream ingestion, as <see cref="StreamLag"/>.</summary>
    public static readonly MetricDefinition RejectedInvalid = MetricDefinition.Counter(
        Streaming.Ingest.StreamIngestMetrics.RejectedInvalidName, "{event}", "Events not applied because they fail an error validation rule of their view's event columns, by stream feature view and source.",
        Streaming.Ingest.StreamIngestMetrics.ViewTag, Streaming.Ingest.StreamIngestMetrics.SourceTag);

    /// <summary>Recorded by the online read cache (<see cref="Online.Caching.OnlineCacheMetrics"/>); mirrored as <see cref="StreamLag"/> is.</summary>
    public static readonly MetricDefinition CacheHits = MetricDefinition.Counter(
        Online.Caching.OnlineCacheMetrics.HitsName, "{key}", Online.Caching.OnlineCacheMetrics.HitsDescription);

    /// <summary>Recorded by the online read cache, as <see cref="CacheHits"/>.</summary>
    public static readonly MetricDefinition CacheMisses = MetricDefinition.Counter(
        Online.Caching.OnlineCacheMetrics.MissesName, "{key}", Online.Caching.OnlineCacheMetrics.MissesDescription);

    /// <summary>Recorded by the online read cache, as <see cref="CacheHits"/>.</summary>
    public static readonly MetricDefinition CacheEvictions = MetricDefinition.Counter(
        Online.Caching.OnlineCacheMetrics.EvictionsName, "{key}", Online.Caching.OnlineCacheMetrics.EvictionsDescription);

    /// <summary>Which part of a consumer's lag a <see cref="ConsumerLag"/> value is: <c>undelivered</c> or <c>unacknowledged</c>.</summary>
    public const string LagKindTag = "kind";

    /// <summary>
    /// Asked of each stream source every few seconds by a server that runs the consumers (<c>--with-streams</c>):
    /// what <c>granary stream status</c> prints. A source that cannot say how many are undelivered reports none.
    /// </summary>
    public static readonly MetricDefinition ConsumerLag = MetricDefinition.Gauge(
        "granary.stream.consumer.lag", "{message}", "Messages of a stream source not yet applied by its consumers: undelivered, or delivered and unacknowledged.",
        Streaming.Ingest.StreamIngestMetrics.SourceTag, LagKindTag);

    /// <summary>
    /// How old each view's newest event is, computed when the value is collected from the newest event times the
    /// server reads from the registry every few seconds. A view nothing has been written for has no value.
    /// </summary>
    public static readonly MetricDefinition FreshnessAge = MetricDefinition.Gauge(
        "granary.feature_view.freshness.age", "s", "Age of the newest event materialized, pushed or ingested for a feature view.", FeatureViewTag);

    /// <summary>Every series, in the order <c>/metrics</c> lists them.</summary>
    public static IReadOnlyList<MetricDefinition> All { get; } =
        [RequestDuration, Errors, FeatureStatuses, StoreReads, StoreReadDuration, StoreWriteDuration, PushedRows, StreamLag, RejectedLate, ConsumerLag, RejectedInvalid, FreshnessAge, CacheHits, CacheMisses, CacheEvictions];
}

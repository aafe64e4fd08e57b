using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Granary.OnlineServing;

namespace Granary.Server.Diagnostics;

/// <summary>
/// The server's instruments on the <c>Granary</c> meter, named as OpenTelemetry's conventions ask (dotted, unit in
/// the metadata, durations in seconds). prometheus-net's meter adapter exports them at <c>/metrics</c>, prefixed
/// with the meter's name (<c>granary.server.request.duration</c> becomes <c>granary_granary_server_request_duration</c>),
/// and any OpenTelemetry exporter can pick up the same meter.
/// </summary>
/// <remarks>
/// A lookup records two histogram values (the request's duration, which also counts requests by endpoint and status
/// code, and the store read's). The per-value counts (statuses, records per view) change on every lookup, so they
/// are kept in plain interlocked counters here and handed to exporters as observable counters when they collect,
/// rather than sent through the meter's listeners on every request.
/// </remarks>
internal sealed class ServerMetrics
{
    /// <summary>The meter's name, for exporters that select meters by name.</summary>
    public const string MeterName = "Granary";

    private static readonly string[] StatusNames = [.. Enum.GetValues<FeatureStatus>().Select(s => s.WireName())];

    private readonly Counter<long> _errors;
    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<double> _storeReadDuration;
    private readonly Histogram<double> _storeWriteDuration;
    private readonly Counter<long> _pushedRows;
    private readonly long[] _statusCounts = new long[StatusNames.Length];
    private readonly ConcurrentDictionary<string, StrongBox<long>> _viewReads = new(StringComparer.Ordinal);

    public ServerMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _errors = meter.CreateCounter<long>("granary.server.errors", "{error}", "Requests refused or failed, by endpoint and stable error code.");
        _requestDuration = meter.CreateHistogram<double>(
            "granary.server.request.duration", "s", "Time to handle a request, by endpoint and status code; its count is the number of requests.");
        meter.CreateObservableCounter(
            "granary.online.feature.statuses", ObserveStatuses, "{value}", "Online feature values served, by status (PRESENT, NULL_VALUE, NOT_FOUND, OUTSIDE_MAX_AGE).");
        _storeReadDuration = meter.CreateHistogram<double>("granary.online_store.read.duration", "s", "Time of one batched online store read, by store type.");
        _storeWriteDuration = meter.CreateHistogram<double>("granary.online_store.write.duration", "s", "Time of one batched online store write, by store type.");
        meter.CreateObservableCounter("granary.online_store.reads", ObserveViewReads, "{record}", "Records read from the online store (entities looked up), by feature view.");
        _pushedRows = meter.CreateCounter<long>("granary.push.rows", "{row}", "Rows accepted by push and write-to-online-store.");
    }

    public void Request(string endpoint, int status, long startedAt) =>
        _requestDuration.Record(
            Stopwatch.GetElapsedTime(startedAt).TotalSeconds,
            new KeyValuePair<string, object?>("endpoint", endpoint),
            new KeyValuePair<string, object?>("http.response.status_code", StatusText(status)));

    public void Error(string endpoint, string code) =>
        _errors.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("error.type", code));

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
                Interlocked.Add(ref _statusCounts[s], counts[s]);
            }
        }
    }

    public void StoreRead(string store, long startedAt) =>
        _storeReadDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, new KeyValuePair<string, object?>("online_store.type", store));

    public void StoreWrite(string store, long startedAt) =>
        _storeWriteDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, new KeyValuePair<string, object?>("online_store.type", store));

    /// <summary>Counts records read per feature view; keys arrive grouped by view, so this is one add per view.</summary>
    public void ViewReads(string view, long records)
    {
        // The view names come from the registry, so the set of counters is as bounded as the registry.
        var counter = _viewReads.GetOrAdd(view, static _ => new StrongBox<long>());
        Interlocked.Add(ref counter.Value, records);
    }

    public void PushedRows(long rows) => _pushedRows.Add(rows);

    private IEnumerable<Measurement<long>> ObserveStatuses()
    {
        for (var s = 0; s < StatusNames.Length; s++)
        {
            yield return new Measurement<long>(Volatile.Read(ref _statusCounts[s]), new KeyValuePair<string, object?>("status", StatusNames[s]));
        }
    }

    private IEnumerable<Measurement<long>> ObserveViewReads()
    {
        foreach (var (view, counter) in _viewReads)
        {
            yield return new Measurement<long>(Volatile.Read(ref counter.Value), new KeyValuePair<string, object?>("feature_view", view));
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
}

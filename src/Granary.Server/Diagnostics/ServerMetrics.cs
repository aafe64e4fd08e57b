using System.Diagnostics;
using System.Diagnostics.Metrics;
using Granary.OnlineServing;

namespace Granary.Server.Diagnostics;

/// <summary>
/// The server's instruments on the <c>Granary</c> meter, named as OpenTelemetry's conventions ask (dotted, unit in
/// the metadata, durations in seconds). prometheus-net's meter adapter exports them at <c>/metrics</c>
/// (<c>granary.server.request.duration</c> becomes <c>granary_server_request_duration_seconds</c>), and any
/// OpenTelemetry exporter can pick up the same meter.
/// </summary>
internal sealed class ServerMetrics
{
    /// <summary>The meter's name, for exporters that select meters by name.</summary>
    public const string MeterName = "Granary";

    private readonly Counter<long> _requests;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<double> _lookupDuration;
    private readonly Counter<long> _lookupEntities;
    private readonly Counter<long> _featureStatuses;
    private readonly Histogram<double> _storeReadDuration;
    private readonly Histogram<double> _storeWriteDuration;
    private readonly Counter<long> _storeReads;
    private readonly Counter<long> _pushedRows;

    public ServerMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("granary.server.requests", "{request}", "Requests handled, by endpoint and status code.");
        _errors = meter.CreateCounter<long>("granary.server.errors", "{error}", "Requests refused or failed, by endpoint and stable error code.");
        _requestDuration = meter.CreateHistogram<double>("granary.server.request.duration", "s", "Time to handle a request, by endpoint.");
        _lookupDuration = meter.CreateHistogram<double>("granary.online.lookup.duration", "s", "Time to resolve and read one online features request.");
        _lookupEntities = meter.CreateCounter<long>("granary.online.lookup.entities", "{entity}", "Entities looked up in online requests.");
        _featureStatuses = meter.CreateCounter<long>("granary.online.feature.statuses", "{value}", "Online feature values served, by status (PRESENT, NULL_VALUE, NOT_FOUND, OUTSIDE_MAX_AGE).");
        _storeReadDuration = meter.CreateHistogram<double>("granary.online_store.read.duration", "s", "Time of one batched online store read, by store type.");
        _storeWriteDuration = meter.CreateHistogram<double>("granary.online_store.write.duration", "s", "Time of one batched online store write, by store type.");
        _storeReads = meter.CreateCounter<long>("granary.online_store.reads", "{record}", "Records read from the online store, by feature view.");
        _pushedRows = meter.CreateCounter<long>("granary.push.rows", "{row}", "Rows accepted by push and write-to-online-store.");
    }

    public void Request(string endpoint, int status, long startedAt)
    {
        _requestDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, new KeyValuePair<string, object?>("endpoint", endpoint));
        _requests.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("http.response.status_code", StatusText(status)));
    }

    public void Error(string endpoint, string code) =>
        _errors.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("error.type", code));

    /// <summary>Records one answered online request: its duration, its entities and every value's status.</summary>
    public void Lookup(OnlineFeaturesResponse response, int joinKeys, long startedAt)
    {
        _lookupDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds);
        Span<long> counts = stackalloc long[4];
        var results = response.Results;
        for (var c = joinKeys; c < results.Count; c++)
        {
            foreach (var status in results[c].Statuses)
            {
                counts[(int)status]++;
            }
        }

        if (results.Count > 0)
        {
            _lookupEntities.Add(results[0].Statuses.Length);
        }

        for (var s = 0; s < counts.Length; s++)
        {
            if (counts[s] > 0)
            {
                _featureStatuses.Add(counts[s], new KeyValuePair<string, object?>("status", ((FeatureStatus)s).WireName()));
            }
        }
    }

    public void StoreRead(string store, long startedAt) =>
        _storeReadDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, new KeyValuePair<string, object?>("online_store.type", store));

    public void StoreWrite(string store, long startedAt) =>
        _storeWriteDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, new KeyValuePair<string, object?>("online_store.type", store));

    /// <summary>Counts records read per feature view; keys arrive grouped by view, so this is one add per view.</summary>
    public void ViewReads(string view, long records) => _storeReads.Add(records, new KeyValuePair<string, object?>("feature_view", view));

    public void PushedRows(long rows) => _pushedRows.Add(rows);

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

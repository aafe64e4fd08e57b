using Granary.Server.Diagnostics;

namespace Granary.Tests.Server.Diagnostics;

/// <summary>
/// Each series is defined once and both its forms come from that definition; the Prometheus names are the ones
/// <c>/metrics</c> has always served, which dashboards and alerts depend on.
/// </summary>
public sealed class MetricDefinitionTests
{
    [Fact]
    public void Prometheus_names_and_labels_are_the_ones_metrics_always_served()
    {
        var served = ServerMetricDefinitions.All.Select(d => $"{d.PrometheusName}({string.Join(",", d.PrometheusLabelNames)})").ToArray();

        Assert.Equal(
            [
                "granary_server_request_duration_seconds(endpoint,http_response_status_code)",
                "granary_server_errors_total(endpoint,error_type)",
                "granary_online_feature_statuses_total(status)",
                "granary_online_store_reads_total(feature_view)",
                "granary_online_store_read_duration_seconds(online_store_type)",
                "granary_online_store_write_duration_seconds(online_store_type)",
                "granary_push_rows_total()",
                "granary_stream_event_to_servable_lag_seconds(feature_view)",
                "granary_stream_events_rejected_late_total(feature_view,stream_source)",
                "granary_stream_consumer_lag(stream_source,kind)",
                "granary_stream_events_rejected_invalid_total(feature_view,stream_source)",
                "granary_feature_view_freshness_age_seconds(feature_view)",
                "granary_online_cache_hits_total()",
                "granary_online_cache_misses_total()",
                "granary_online_cache_evictions_total()",
            ],
            served);
    }

    [Fact]
    public void Meter_instruments_keep_their_opentelemetry_names_units_and_tags()
    {
        var instruments = ServerMetricDefinitions.All.Select(d => $"{d.Name} [{d.Unit}] ({string.Join(",", d.Tags)})").ToArray();

        Assert.Equal(
            [
                "granary.server.request.duration [s] (endpoint,http.response.status_code)",
                "granary.server.errors [{error}] (endpoint,error.type)",
                "granary.online.feature.statuses [{value}] (status)",
                "granary.online_store.reads [{record}] (feature_view)",
                "granary.online_store.read.duration [s] (online_store.type)",
                "granary.online_store.write.duration [s] (online_store.type)",
                "granary.push.rows [{row}] ()",
                "granary.stream.event_to_servable.lag [s] (feature_view)",
                "granary.stream.events.rejected_late [{event}] (feature_view,stream_source)",
                "granary.stream.consumer.lag [{message}] (stream_source,kind)",
                "granary.stream.events.rejected_invalid [{event}] (feature_view,stream_source)",
                "granary.feature_view.freshness.age [s] (feature_view)",
                "granary.online_cache.hits [{key}] ()",
                "granary.online_cache.misses [{key}] ()",
                "granary.online_cache.evictions [{key}] ()",
            ],
            instruments);
    }

    [Fact]
    public void Histograms_carry_their_buckets_to_both_sides_and_counters_have_none()
    {
        Assert.All(ServerMetricDefinitions.All, d => Assert.Equal(d.IsHistogram, d.Buckets is { Count: > 0 }));
        var buckets = ServerMetricDefinitions.RequestDuration.Buckets!;
        Assert.Equal(0.0001, buckets[0], 12);
        Assert.Equal(18, buckets.Count);
    }

    [Fact]
    public void A_unit_without_a_prometheus_suffix_is_refused_rather_than_guessed()
    {
        var error = Assert.Throws<ArgumentException>(() => MetricDefinition.Counter("granary.test.things", "m", "Metres."));
        Assert.Contains("'m'", error.Message, StringComparison.Ordinal);
    }
}

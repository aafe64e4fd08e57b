using System.Diagnostics.Metrics;
using System.Text;
using Granary.Server.Diagnostics;
using Granary.Streaming.Ingest;
using Microsoft.Extensions.DependencyInjection;

namespace Granary.Tests.Streaming;

/// <summary>Stream ingestion's measurements reach the server's /metrics series, and only its own server's.</summary>
public sealed class OnlineMetricsTests
{
    [Fact]
    public async Task Lag_and_late_rejections_of_the_servers_meter_appear_in_its_prometheus_series_and_anothers_do_not()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var others = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var metrics = new ServerMetrics(services.GetRequiredService<IMeterFactory>());
        var ingest = StreamIngestMetrics.For(services.GetRequiredService<IMeterFactory>());
        var elsewhere = StreamIngestMetrics.For(others.GetRequiredService<IMeterFactory>());

        ingest.RejectedLate("user_spend", "txn_push", 3);
        ingest.Servable("user_spend", [1_000_000, 1_500_000], 2_000_000);
        elsewhere.RejectedLate("user_spend", "txn_push", 100);

        using var output = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(output);
        var text = Encoding.UTF8.GetString(output.ToArray());

        Assert.Contains("granary_stream_events_rejected_late_total{feature_view=\"user_spend\",stream_source=\"txn_push\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("granary_stream_event_to_servable_lag_seconds_count{feature_view=\"user_spend\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("granary_stream_event_to_servable_lag_seconds_sum{feature_view=\"user_spend\"} 1.5\n", text, StringComparison.Ordinal);
    }
}

using System.Diagnostics;
using System.Diagnostics.Metrics;
using Granary.OnlineServing;
using Granary.Server.Diagnostics;
using Granary.Core.Values;
using Microsoft.Extensions.DependencyInjection;

namespace Granary.Tests.Server.Diagnostics;

/// <summary>The meter side of the server's metrics, as an OpenTelemetry exporter would see it through a <see cref="MeterListener"/>.</summary>
public sealed class ServerMetricsMeterTests
{
    [Fact]
    public void Requests_statuses_and_view_reads_reach_a_meter_listener()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var metrics = new ServerMetrics(factory);
        var seen = new List<(string Instrument, double Value, string Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this factory's meter: servers of other tests in the process have "Granary" meters of their own.
            if (instrument.Meter.Name == ServerMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(seen, instrument.Name, value, Tags(tags)));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(seen, instrument.Name, value, Tags(tags)));
        listener.Start();

        var response = new OnlineFeaturesResponse(["user_id", "a", "b"], 2);
        response.Set(1, 0, FeatureValue.Int64(1), FeatureStatus.Present, 1);
        response.Set(1, 1, FeatureValue.Null(Granary.Core.Model.FeatureType.Int64), FeatureStatus.NotFound, 0);
        response.Set(2, 0, FeatureValue.Int64(1), FeatureStatus.Present, 1);
        response.Set(2, 1, FeatureValue.Null(Granary.Core.Model.FeatureType.Int64), FeatureStatus.NotFound, 0);
        metrics.Request("get-online-features", 200, Stopwatch.GetTimestamp());
        metrics.Lookup(response, joinKeys: 1);
        metrics.ViewReads("meter_test_view", 2);
        listener.RecordObservableInstruments();

        Assert.Contains(seen, m => m.Instrument == "granary.server.request.duration" && m.Tags.Contains("endpoint=get-online-features", StringComparison.Ordinal)
            && m.Tags.Contains("http.response.status_code=200", StringComparison.Ordinal));
        // Observable counters report this instance's totals, not the process's.
        Assert.Contains(seen, m => m.Instrument == "granary.online.feature.statuses" && m.Tags == "status=NOT_FOUND" && m.Value == 2);
        Assert.Contains(seen, m => m.Instrument == "granary.online.feature.statuses" && m.Tags == "status=PRESENT" && m.Value == 2);
        Assert.Contains(seen, m => m.Instrument == "granary.online_store.reads" && m.Tags == "feature_view=meter_test_view" && m.Value == 2);
    }

    private static void Add(List<(string Instrument, double Value, string Tags)> seen, string instrument, double value, string tags)
    {
        lock (seen)
        {
            seen.Add((instrument, value, tags));
        }
    }

    private static string Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string>();
        foreach (var (key, value) in tags)
        {
            parts.Add($"{key}={value}");
        }

        return string.Join(",", parts);
    }
}

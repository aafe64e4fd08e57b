using Prometheus;

namespace Granary.Server.Diagnostics;

/// <summary>
/// Publishes the <c>Granary</c> meter at <c>/metrics</c> through prometheus-net's meter adapter. Process-wide, so it
/// is done once however many servers a process hosts.
/// </summary>
/// <remarks>
/// prometheus-net starts its default adapter (all other meters: ASP.NET Core, Kestrel, the runtime) only at the first
/// scrape, and measurements made before it listens are lost. Ours get an adapter of their own that listens from the
/// start, with buckets for serving latencies; the default one is told to leave our meter alone so nothing is counted twice.
/// </remarks>
internal static class PrometheusExport
{
    // Serving latencies range from tens of microseconds (embedded store) to seconds (materialize): 100 µs doubling to ~13 s.
    private static readonly double[] SecondsBuckets = Histogram.ExponentialBuckets(0.0001, 2, 18);
    private static IDisposable? _adapter;

    public static void EnsureConfigured()
    {
        if (Volatile.Read(ref _adapter) is not null)
        {
            return;
        }

        lock (SecondsBuckets)
        {
            if (_adapter is not null)
            {
                return;
            }

            Metrics.ConfigureMeterAdapter(options =>
            {
                var previous = options.InstrumentFilterPredicate;
                options.InstrumentFilterPredicate = instrument => instrument.Meter.Name != ServerMetrics.MeterName && previous(instrument);
            });
            Volatile.Write(ref _adapter, MeterAdapter.StartListening(new MeterAdapterOptions
            {
                InstrumentFilterPredicate = static instrument => instrument.Meter.Name == ServerMetrics.MeterName,
                ResolveHistogramBuckets = static _ => SecondsBuckets,
            }));
        }
    }
}

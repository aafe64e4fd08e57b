using Prometheus;

namespace Granary.Server.Diagnostics;

/// <summary>
/// The <c>/metrics</c> setup, process-wide, done once however many servers a process hosts: Granary's own series
/// (<see cref="ServerMetrics"/>) and prometheus-net's process and GC statistics.
/// </summary>
/// <remarks>
/// prometheus-net's adapters for .NET meters and event counters are turned off. The meter adapter's work per
/// measurement (label sorting, managed-lifetime leases) cost about 0.25 µs per histogram value (a request's metrics:
/// 0.60 µs through it, 0.18 µs with prometheus-net's own collectors; docs/BENCHMARKS.md, "Feature server"), and
/// ASP.NET Core's and Kestrel's own meters would be recorded through it on every request once the first scrape
/// started it. Granary's request histogram covers what they would show; an application that wants them can use
/// OpenTelemetry on the same meters.
/// </remarks>
internal static class PrometheusExport
{
    private static int _configured;

    /// <summary>Applies the setup once per process; true (a value static field initializers can hold).</summary>
    public static bool EnsureConfigured()
    {
        if (Interlocked.Exchange(ref _configured, 1) == 0)
        {
            Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions
            {
                SuppressProcessMetrics = false,
                SuppressDebugMetrics = true,
                SuppressEventCounters = true,
                SuppressMeters = true,
            });
        }

        return true;
    }
}

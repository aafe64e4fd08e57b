using System.Diagnostics.Metrics;
using Granary.Core.Diagnostics;

namespace Granary.Monitoring;

/// <summary>
/// The serving log's measurements, on the <c>Granary</c> meter (docs/observability.md): sampled served rows written to
/// the serving log, and rows dropped because the queue in front of the writer was full or the write failed.
/// </summary>
internal sealed class ServingLogMetrics
{
    public const string LoggedName = "granary.serving_log.rows.logged";
    public const string DroppedName = "granary.serving_log.rows.dropped";

    private static readonly Meter Shared = new(GranaryTelemetry.MeterName);
    private static readonly Lazy<ServingLogMetrics> Default = new(() => new ServingLogMetrics(null));

    private readonly Counter<long> _logged;
    private readonly Counter<long> _dropped;

    private ServingLogMetrics(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(GranaryTelemetry.MeterName) ?? Shared;
        _logged = meter.CreateCounter<long>(LoggedName, "{row}", "Sampled served rows written to the serving log.");
        _dropped = meter.CreateCounter<long>(
            DroppedName, "{row}", "Sampled served rows not logged: the queue to the serving log writer was full, or the write failed.");
    }

    public static ServingLogMetrics For(IMeterFactory? meterFactory) =>
        meterFactory is null ? Default.Value : new ServingLogMetrics(meterFactory);

    public void Logged(int rows) => _logged.Add(rows);

    public void Dropped(int rows) => _dropped.Add(rows);
}

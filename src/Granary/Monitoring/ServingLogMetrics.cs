using System.Diagnostics.Metrics;
using Granary.Core.Diagnostics;

namespace Granary.Monitoring;

/// <summary>
/// The measurements of a log written through a <see cref="ServingSampler{TRow}"/>, on the <c>Granary</c> meter
/// (docs/observability.md): rows written, and rows dropped because the queue in front of the writer was full or the
/// write failed. The serving log counts sampled served rows; the exposure log counts experiment exposures.
/// </summary>
internal sealed class ServingLogMetrics
{
    public const string LoggedName = "granary.serving_log.rows.logged";
    public const string DroppedName = "granary.serving_log.rows.dropped";
    public const string ExposuresLoggedName = "granary.exposure_log.rows.logged";
    public const string ExposuresDroppedName = "granary.exposure_log.rows.dropped";

    private static readonly Meter Shared = new(GranaryTelemetry.MeterName);
    private static readonly Lazy<ServingLogMetrics> Default = new(() => ServingLog(null));
    private static readonly Lazy<ServingLogMetrics> DefaultExposures = new(() => ExposureLog(null));

    private readonly Counter<long> _logged;
    private readonly Counter<long> _dropped;

    private ServingLogMetrics(IMeterFactory? meterFactory, string log, string loggedName, string droppedName, string what)
    {
        var meter = meterFactory?.Create(GranaryTelemetry.MeterName) ?? Shared;
        Log = log;
        _logged = meter.CreateCounter<long>(loggedName, "{row}", $"{what} written to the {log}.");
        _dropped = meter.CreateCounter<long>(droppedName, "{row}", $"{what} not logged: the queue to the {log} writer was full, or the write failed.");
    }

    /// <summary>The log's name as log events say it: "serving log", "exposure log".</summary>
    public string Log { get; }

    public static ServingLogMetrics For(IMeterFactory? meterFactory) =>
        meterFactory is null ? Default.Value : ServingLog(meterFactory);

    public static ServingLogMetrics ForExposures(IMeterFactory? meterFactory) =>
        meterFactory is null ? DefaultExposures.Value : ExposureLog(meterFactory);

    private static ServingLogMetrics ServingLog(IMeterFactory? meterFactory) =>
        new(meterFactory, "serving log", LoggedName, DroppedName, "Sampled served rows");

    private static ServingLogMetrics ExposureLog(IMeterFactory? meterFactory) =>
        new(meterFactory, "exposure log", ExposuresLoggedName, ExposuresDroppedName, "Experiment exposures");

    public void Logged(int rows) => _logged.Add(rows);

    public void Dropped(int rows) => _dropped.Add(rows);
}

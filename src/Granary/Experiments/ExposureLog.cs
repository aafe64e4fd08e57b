using Granary.Core.Model;
using Granary.Monitoring;
using Granary.Offline;
using Microsoft.Extensions.Logging;

namespace Granary.Experiments;

/// <summary>
/// The exposure log: every served read of an experiment, kept in the offline store beside the serving log (same
/// engine capability, <see cref="IServingLog"/>, and the same retention) as one table per experiment under the log
/// name <c>exposure_log</c>. Each exposure is a row keyed by <c>unit_id</c> with <c>served_at</c>, <c>variant</c>,
/// <c>feature_view</c> and <c>version</c>; the layout's found flags are always true. Exposures are not sampled:
/// a report counts them all.
/// </summary>
internal static class ExposureLog
{
    public const string LogName = "exposure_log";
    public const string UnitColumn = "unit_id";
    public const string VariantColumn = "variant";
    public const string FeatureViewColumn = "feature_view";
    public const string VersionColumn = "version";

    private static readonly Field[] Keys = [new(UnitColumn, FeatureType.String)];
    private static readonly Field[] Columns = [new(VariantColumn, FeatureType.String), new(FeatureViewColumn, FeatureType.String), new(VersionColumn, FeatureType.String)];
    private static readonly bool?[] AllFound = [true, true, true];

    /// <summary>The writer of a store's exposures; none when the offline engine keeps no serving log.</summary>
    public static ServingSampler<Exposure>? Create(FeatureStore store, IOfflineEngine offline, FeatureStoreSettings options)
    {
        if (offline.GetCapability<IServingLog>() is not { } log)
        {
            return null;
        }

        var time = options.TimeProvider;
        var retention = new ServingLogRetention(store.Monitoring.ServingLogRetention, time);
        return new ServingSampler<Exposure>(
            rate: 1,
            (rows, cancellationToken) => WriteAsync(log, store.Project, store.RepositoryRoot, retention, rows, cancellationToken),
            time,
            new ServingSamplerOptions(),
            ServingLogMetrics.ForExposures(options.MeterFactory),
            options.LoggerFactory.CreateLogger<ServingSampler<Exposure>>());
    }

    /// <summary>The exposure table of one experiment.</summary>
    public static ServingLogTable Table(string project, string repositoryRoot, string experiment) =>
        new(project, experiment, repositoryRoot, Keys, Columns) { Log = LogName };

    private static async Task WriteAsync(
        IServingLog log, string project, string repositoryRoot, ServingLogRetention retention, IReadOnlyList<Exposure> rows, CancellationToken cancellationToken)
    {
        foreach (var group in rows.GroupBy(r => r.Experiment, StringComparer.Ordinal))
        {
            var table = Table(project, repositoryRoot, group.Key);
            var records = new List<ServingLogRecord>();
            foreach (var exposure in group)
            {
                records.Add(new ServingLogRecord([exposure.UnitId], exposure.ServedAt, [exposure.Variant, exposure.FeatureView, exposure.Version], AllFound));
            }

            await log.AppendAsync(table, records, cancellationToken);
            await retention.DeleteIfDueAsync(log, table, cancellationToken);
        }
    }
}

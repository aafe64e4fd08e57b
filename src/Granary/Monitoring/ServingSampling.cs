using Granary.Offline;
using Microsoft.Extensions.Logging;

namespace Granary.Monitoring;

/// <summary>
/// Wires the serving sampler of a store: none at a sample rate of 0 (or an engine without a serving log), otherwise one
/// whose writer appends each batch through the engine's <see cref="IServingLog"/>, view by view, and then deletes what
/// <c>monitoring.serving_log_retention</c> no longer keeps when that view's <see cref="ServingLogRetention.Interval"/> has passed.
/// </summary>
internal static class ServingSampling
{
    public static ServingSampler<ServedRow>? Create(FeatureStore store, IOfflineEngine offline, FeatureStoreSettings options)
    {
        var rate = store.Monitoring.ServingSampleRate;
        if (rate <= 0 || offline.GetCapability<IServingLog>() is not { } log)
        {
            return null;
        }

        var time = options.TimeProvider;
        var retention = new ServingLogRetention(store.Monitoring.ServingLogRetention, time);
        return new ServingSampler<ServedRow>(
            rate,
            (rows, cancellationToken) => WriteAsync(log, store.Project, store.RepositoryRoot, retention, rows, cancellationToken),
            time,
            new ServingSamplerOptions(),
            ServingLogMetrics.For(options.MeterFactory),
            options.LoggerFactory.CreateLogger<ServingSampler<ServedRow>>());
    }

    internal static async Task WriteAsync(
        IServingLog log, string project, string repositoryRoot, ServingLogRetention retention, IReadOnlyList<ServedRow> rows, CancellationToken cancellationToken)
    {
        // Grouped by the plan that served them: rows of one view under one registry version share a table layout.
        foreach (var group in rows.Where(r => r.Plan is not null).GroupBy(r => r.Plan!))
        {
            var table = ServingLogTables.For(project, repositoryRoot, group.Key);
            await log.AppendAsync(table, ServingLogTables.Records(table, [.. group]), cancellationToken);
            await retention.DeleteIfDueAsync(log, table, cancellationToken);
        }
    }
}

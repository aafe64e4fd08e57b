using System.Diagnostics;
using Granary.Core.Diagnostics;
using Granary.Core.Model;
using Granary.Offline.Retrieval;

namespace Granary.Offline.Diagnostics;

/// <summary>
/// Wraps an offline engine so that each call of its point-in-time reader, latest-values reader and push log is a span
/// of the <c>Granary.Offline</c> activity source (<c>granary.offline.point_in_time.read</c>, ...; docs/observability.md
/// lists their attributes). It offers exactly the capabilities of the engine it wraps: the three it traces as itself,
/// every other one (schema inspection, index advice) straight from the inner engine.
/// </summary>
/// <remarks>
/// A decorator over the capabilities, as <c>TracedOnlineStore</c> is over the online store, so every engine gets the
/// same spans. A read's span covers running the statement up to its first row; the rows then stream to the caller,
/// outside the span. While nobody listens to the source, each call is the inner engine's behind one branch.
/// </remarks>
internal sealed class TracedOfflineEngine : IOfflineEngine, IPointInTimeReader, ILatestValuesReader, IPushLog
{
    private readonly IOfflineEngine _inner;
    private readonly string? _dbSystemName;
    private readonly IPointInTimeReader? _pointInTime;
    private readonly ILatestValuesReader? _latest;
    private readonly IPushLog? _pushLog;

    /// <param name="inner">The engine whose calls become spans.</param>
    /// <param name="dbSystemName">
    /// OpenTelemetry's <c>db.system.name</c> of the database the engine runs in (<c>duckdb</c>, <c>postgresql</c>).
    /// </param>
    public TracedOfflineEngine(IOfflineEngine inner, string? dbSystemName)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _dbSystemName = dbSystemName;
        _pointInTime = inner.GetCapability<IPointInTimeReader>();
        _latest = inner.GetCapability<ILatestValuesReader>();
        _pushLog = inner.GetCapability<IPushLog>();
    }

    /// <inheritdoc />
    public string Name => _inner.Name;

    /// <inheritdoc />
    public TCapability? GetCapability<TCapability>()
        where TCapability : class
    {
        var type = typeof(TCapability);
        if (type == typeof(IPointInTimeReader))
        {
            return _pointInTime is null ? null : this as TCapability;
        }

        if (type == typeof(ILatestValuesReader))
        {
            return _latest is null ? null : this as TCapability;
        }

        if (type == typeof(IPushLog))
        {
            return _pushLog is null ? null : this as TCapability;
        }

        return _inner.GetCapability<TCapability>();
    }

    /// <inheritdoc />
    public string Explain(PointInTimeRequest request) => PointInTime.Explain(request);

    /// <inheritdoc />
    public Task<OfflineRows> ReadAsync(PointInTimeRequest request, CancellationToken cancellationToken = default) =>
        OfflineTelemetry.Source.HasListeners() ? ReadTracedAsync(request, cancellationToken) : PointInTime.ReadAsync(request, cancellationToken);

    /// <inheritdoc />
    public Task<long> WriteAsync(PointInTimeRequest request, string outputPath, FileFormat format, CancellationToken cancellationToken = default) =>
        OfflineTelemetry.Source.HasListeners()
            ? WriteTracedAsync(request, outputPath, format, cancellationToken)
            : PointInTime.WriteAsync(request, outputPath, format, cancellationToken);

    /// <inheritdoc />
    public Task<OfflineRows> ReadLatestAsync(LatestValuesRequest request, CancellationToken cancellationToken = default) =>
        OfflineTelemetry.Source.HasListeners() ? ReadLatestTracedAsync(request, cancellationToken) : Latest.ReadLatestAsync(request, cancellationToken);

    /// <inheritdoc />
    public Task<long> CountLatestAsync(LatestValuesRequest request, CancellationToken cancellationToken = default) =>
        OfflineTelemetry.Source.HasListeners() ? CountLatestTracedAsync(request, cancellationToken) : Latest.CountLatestAsync(request, cancellationToken);

    /// <inheritdoc />
    public Task AppendAsync(BatchSource source, string repositoryRoot, IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, int rows, CancellationToken cancellationToken = default) =>
        OfflineTelemetry.Source.HasListeners()
            ? AppendTracedAsync(source, repositoryRoot, columns, rows, cancellationToken)
            : PushLog.AppendAsync(source, repositoryRoot, columns, rows, cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    // Only reached through GetCapability, which hands this object out only for what the inner engine has.
    private IPointInTimeReader PointInTime => _pointInTime!;

    private ILatestValuesReader Latest => _latest!;

    private IPushLog PushLog => _pushLog!;

    private async Task<OfflineRows> ReadTracedAsync(PointInTimeRequest request, CancellationToken cancellationToken)
    {
        using var activity = Start("point_in_time_read", "granary.offline.point_in_time.read");
        activity?.SetTag(OfflineTelemetry.FeatureViews, request.Views.Count);
        try
        {
            return await PointInTime.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (GranaryTelemetry.Failed(activity, e))
        {
            throw;
        }
    }

    private async Task<long> WriteTracedAsync(PointInTimeRequest request, string outputPath, FileFormat format, CancellationToken cancellationToken)
    {
        using var activity = Start("point_in_time_write", "granary.offline.point_in_time.write");
        activity?.SetTag(OfflineTelemetry.FeatureViews, request.Views.Count);
        try
        {
            var rows = await PointInTime.WriteAsync(request, outputPath, format, cancellationToken).ConfigureAwait(false);
            activity?.SetTag(OfflineTelemetry.Rows, rows);
            return rows;
        }
        catch (Exception e) when (GranaryTelemetry.Failed(activity, e))
        {
            throw;
        }
    }

    private async Task<OfflineRows> ReadLatestTracedAsync(LatestValuesRequest request, CancellationToken cancellationToken)
    {
        using var activity = Start("latest_values_read", "granary.offline.latest_values.read");
        activity?.SetTag(OfflineTelemetry.FeatureView, request.View.View.Name);
        try
        {
            return await Latest.ReadLatestAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (GranaryTelemetry.Failed(activity, e))
        {
            throw;
        }
    }

    private async Task<long> CountLatestTracedAsync(LatestValuesRequest request, CancellationToken cancellationToken)
    {
        using var activity = Start("latest_values_count", "granary.offline.latest_values.count");
        activity?.SetTag(OfflineTelemetry.FeatureView, request.View.View.Name);
        try
        {
            var rows = await Latest.CountLatestAsync(request, cancellationToken).ConfigureAwait(false);
            activity?.SetTag(OfflineTelemetry.Rows, rows);
            return rows;
        }
        catch (Exception e) when (GranaryTelemetry.Failed(activity, e))
        {
            throw;
        }
    }

    private async Task AppendTracedAsync(BatchSource source, string repositoryRoot, IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, int rows, CancellationToken cancellationToken)
    {
        using var activity = Start("push_log_append", "granary.offline.push_log.append");
        activity?.SetTag(OfflineTelemetry.BatchSource, source.Name);
        activity?.SetTag(OfflineTelemetry.Rows, rows);
        try
        {
            await PushLog.AppendAsync(source, repositoryRoot, columns, rows, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (GranaryTelemetry.Failed(activity, e))
        {
            throw;
        }
    }

    private Activity? Start(string operation, string spanName)
    {
        var activity = OfflineTelemetry.Source.StartActivity(spanName, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(OfflineTelemetry.DbSystemName, _dbSystemName);
            activity.SetTag(OfflineTelemetry.DbOperationName, operation);
            activity.SetTag(OfflineTelemetry.EngineType, _inner.Name);
        }

        return activity;
    }

}

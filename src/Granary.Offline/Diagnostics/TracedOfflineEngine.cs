using System.Diagnostics;
using System.Globalization;
using Granary.Core.Diagnostics;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Offline.Retrieval;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Granary.Offline.Diagnostics;

/// <summary>
/// Wraps an offline engine so that each call of its point-in-time reader, latest-values reader and push log is a span
/// of the <c>Granary.Offline</c> activity source (<c>granary.offline.point_in_time.read</c>, ...; docs/observability.md
/// lists their attributes) and an event of the engine's log (6001-6006: how long it took, how many rows, or what was
/// asked when it failed). It offers exactly the capabilities of the engine it wraps: the three it observes as itself,
/// every other one (schema inspection, index advice) straight from the inner engine.
/// </summary>
/// <remarks>
/// A decorator over the capabilities, as <c>TracedOnlineStore</c> is over the online store, so every engine gets the
/// same spans and the same log events. A read's span and its log event cover running the statement up to its first
/// row; the rows then stream to the caller, outside both, so nothing is added per row. While nobody listens to the
/// source and the logger takes no warnings (no logger at all), each call is the inner engine's behind one branch;
/// otherwise a call costs a timestamp and an async frame, nothing beside statements of milliseconds.
/// </remarks>
internal sealed class TracedOfflineEngine : IOfflineEngine, IPointInTimeReader, ILatestValuesReader, IPushLog
{
    private readonly IOfflineEngine _inner;
    private readonly string? _dbSystemName;
    private readonly ILogger _logger;
    private readonly IPointInTimeReader? _pointInTime;
    private readonly ILatestValuesReader? _latest;
    private readonly IPushLog? _pushLog;

    /// <param name="inner">The engine whose calls become spans.</param>
    /// <param name="dbSystemName">
    /// OpenTelemetry's <c>db.system.name</c> of the database the engine runs in (<c>duckdb</c>, <c>postgresql</c>).
    /// </param>
    /// <param name="logger">The engine's log; none logs nothing.</param>
    public TracedOfflineEngine(IOfflineEngine inner, string? dbSystemName, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _dbSystemName = dbSystemName;
        _logger = logger ?? NullLogger.Instance;
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
        Observed ? ReadObservedAsync(request, cancellationToken) : PointInTime.ReadAsync(request, cancellationToken);

    /// <inheritdoc />
    public Task<long> WriteAsync(PointInTimeRequest request, string outputPath, FileFormat format, CancellationToken cancellationToken = default) =>
        Observed
            ? WriteObservedAsync(request, outputPath, format, cancellationToken)
            : PointInTime.WriteAsync(request, outputPath, format, cancellationToken);

    /// <inheritdoc />
    public Task<OfflineRows> ReadLatestAsync(LatestValuesRequest request, CancellationToken cancellationToken = default) =>
        Observed ? ReadLatestObservedAsync(request, cancellationToken) : Latest.ReadLatestAsync(request, cancellationToken);

    /// <inheritdoc />
    public Task<long> CountLatestAsync(LatestValuesRequest request, CancellationToken cancellationToken = default) =>
        Observed ? CountLatestObservedAsync(request, cancellationToken) : Latest.CountLatestAsync(request, cancellationToken);

    /// <inheritdoc />
    public Task AppendAsync(BatchSource source, string repositoryRoot, IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, int rows, CancellationToken cancellationToken = default) =>
        Observed
            ? AppendObservedAsync(source, repositoryRoot, columns, rows, cancellationToken)
            : PushLog.AppendAsync(source, repositoryRoot, columns, rows, cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    /// <summary>What a log event says was asked of a point-in-time reader, such as "the point-in-time join of 'a', 'b' for the entity file x.csv".</summary>
    internal static string Describe(PointInTimeRequest request)
    {
        var views = new string[request.Views.Count];
        for (var i = 0; i < views.Length; i++)
        {
            views[i] = $"'{request.Views[i].View.Name}'";
        }

        return $"the point-in-time join of {string.Join(", ", views)} for {request.Entities.Description}";
    }

    /// <summary>What a log event says was asked of a latest-values reader.</summary>
    internal static string Describe(LatestValuesRequest request) =>
        string.Create(CultureInfo.InvariantCulture, $"the latest values of '{request.View.View.Name}' in [{request.Start.UtcDateTime:O}, {request.End.UtcDateTime:O}]");

    // Failures are logged at Warning: below that, and with no listener, there is nothing to observe.
    private bool Observed => OfflineTelemetry.Source.HasListeners() || _logger.IsEnabled(LogLevel.Warning);

    // Only reached through GetCapability, which hands this object out only for what the inner engine has.
    private IPointInTimeReader PointInTime => _pointInTime!;

    private ILatestValuesReader Latest => _latest!;

    private IPushLog PushLog => _pushLog!;

    private async Task<OfflineRows> ReadObservedAsync(PointInTimeRequest request, CancellationToken cancellationToken)
    {
        using var activity = Start("point_in_time_read", "granary.offline.point_in_time.read");
        activity?.SetTag(OfflineTelemetry.FeatureViews, request.Views.Count);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var rows = await PointInTime.ReadAsync(request, cancellationToken).ConfigureAwait(false);
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                var (operation, elapsed) = (Describe(request), Stopwatch.GetElapsedTime(started));
                OfflineLog.ReadStarted(_logger, Name, operation, elapsed);
            }

            return rows;
        }
        catch (Exception e) when (Failed(activity, e, started, static r => Describe(r), request, cancellationToken))
        {
            throw;
        }
    }

    private async Task<long> WriteObservedAsync(PointInTimeRequest request, string outputPath, FileFormat format, CancellationToken cancellationToken)
    {
        using var activity = Start("point_in_time_write", "granary.offline.point_in_time.write");
        activity?.SetTag(OfflineTelemetry.FeatureViews, request.Views.Count);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var rows = await PointInTime.WriteAsync(request, outputPath, format, cancellationToken).ConfigureAwait(false);
            activity?.SetTag(OfflineTelemetry.Rows, rows);
            if (_logger.IsEnabled(LogLevel.Information))
            {
                var (operation, elapsed) = (Describe(request), Stopwatch.GetElapsedTime(started));
                OfflineLog.Written(_logger, Name, operation, rows, outputPath, elapsed);
            }

            return rows;
        }
        catch (Exception e) when (Failed(activity, e, started, static r => Describe(r), request, cancellationToken))
        {
            throw;
        }
    }

    private async Task<OfflineRows> ReadLatestObservedAsync(LatestValuesRequest request, CancellationToken cancellationToken)
    {
        using var activity = Start("latest_values_read", "granary.offline.latest_values.read");
        activity?.SetTag(OfflineTelemetry.FeatureView, request.View.View.Name);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var rows = await Latest.ReadLatestAsync(request, cancellationToken).ConfigureAwait(false);
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                var (operation, elapsed) = (Describe(request), Stopwatch.GetElapsedTime(started));
                OfflineLog.ReadStarted(_logger, Name, operation, elapsed);
            }

            return rows;
        }
        catch (Exception e) when (Failed(activity, e, started, static r => Describe(r), request, cancellationToken))
        {
            throw;
        }
    }

    private async Task<long> CountLatestObservedAsync(LatestValuesRequest request, CancellationToken cancellationToken)
    {
        using var activity = Start("latest_values_count", "granary.offline.latest_values.count");
        activity?.SetTag(OfflineTelemetry.FeatureView, request.View.View.Name);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var rows = await Latest.CountLatestAsync(request, cancellationToken).ConfigureAwait(false);
            activity?.SetTag(OfflineTelemetry.Rows, rows);
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                var (operation, elapsed) = (Describe(request), Stopwatch.GetElapsedTime(started));
                OfflineLog.Counted(_logger, Name, operation, rows, elapsed);
            }

            return rows;
        }
        catch (Exception e) when (Failed(activity, e, started, static r => Describe(r), request, cancellationToken))
        {
            throw;
        }
    }

    private async Task AppendObservedAsync(BatchSource source, string repositoryRoot, IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, int rows, CancellationToken cancellationToken)
    {
        using var activity = Start("push_log_append", "granary.offline.push_log.append");
        activity?.SetTag(OfflineTelemetry.BatchSource, source.Name);
        activity?.SetTag(OfflineTelemetry.Rows, rows);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await PushLog.AppendAsync(source, repositoryRoot, columns, rows, cancellationToken).ConfigureAwait(false);
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                var elapsed = Stopwatch.GetElapsedTime(started);
                OfflineLog.PushLogged(_logger, Name, rows, source.Name, elapsed);
            }
        }
        catch (Exception e) when (Failed(activity, e, started, static s => $"logging pushed rows to '{s.Name}'", source, cancellationToken))
        {
            throw;
        }
    }

    /// <summary>
    /// Marks the span failed and logs what was asked (6005, or 6006 when the caller canceled it); returns false, so that
    /// it runs as an exception filter and the exception passes on with its stack untouched. The description is built
    /// only when it is logged.
    /// </summary>
    private bool Failed<TState>(Activity? activity, Exception exception, long started, Func<TState, string> describe, TState state, CancellationToken cancellationToken)
    {
        GranaryTelemetry.Failed(activity, exception);
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            if (_logger.IsEnabled(LogLevel.Information))
            {
                var (operation, elapsed) = (describe(state), Stopwatch.GetElapsedTime(started));
                OfflineLog.Canceled(_logger, Name, operation, elapsed);
            }
        }
        else if (_logger.IsEnabled(LogLevel.Warning))
        {
            // A GranaryException's message already says what went wrong in the user's terms; anything else is named by
            // its type, and its own message (a database's, perhaps) follows with the exception.
            var (code, detail) = exception is GranaryException granary
                ? (granary.Code, granary.Message)
                : (exception.GetType().Name, exception.Message);
            var (operation, elapsed) = (describe(state), Stopwatch.GetElapsedTime(started));
            OfflineLog.Failed(_logger, Name, operation, elapsed, code, detail, exception);
        }

        return false;
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

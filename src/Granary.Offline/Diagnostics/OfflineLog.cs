using Microsoft.Extensions.Logging;

namespace Granary.Offline.Diagnostics;

/// <summary>
/// The offline engines' log messages, source-generated. Event ids are stable, so alerts can key on them: Granary.Offline
/// owns 6000-6999, every engine's calls 6001-6099 (logged by <see cref="TracedOfflineEngine"/>, the same for each
/// engine) and PostgreSQL's own events 6101-6199 (docs/observability.md has every library's range).
/// </summary>
internal static partial class OfflineLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Debug, Message = "Offline engine {Engine}: {Operation} returned its first row after {Elapsed}")]
    public static partial void ReadStarted(ILogger logger, string engine, string operation, TimeSpan elapsed);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Offline engine {Engine}: {Operation} wrote {Rows} rows to {Path} in {Elapsed}")]
    public static partial void Written(ILogger logger, string engine, string operation, long rows, string path, TimeSpan elapsed);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Debug, Message = "Offline engine {Engine}: {Operation} counted {Rows} rows in {Elapsed}")]
    public static partial void Counted(ILogger logger, string engine, string operation, long rows, TimeSpan elapsed);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Debug, Message = "Offline engine {Engine}: logged {Rows} pushed rows to {BatchSource} in {Elapsed}")]
    public static partial void PushLogged(ILogger logger, string engine, int rows, string batchSource, TimeSpan elapsed);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Warning, Message = "Offline engine {Engine}: {Operation} failed after {Elapsed} with {Code}: {Detail}")]
    public static partial void Failed(ILogger logger, string engine, string operation, TimeSpan elapsed, string code, string detail, Exception exception);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Information, Message = "Offline engine {Engine}: {Operation} was canceled by its caller after {Elapsed}")]
    public static partial void Canceled(ILogger logger, string engine, string operation, TimeSpan elapsed);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Debug, Message = "PostgreSQL offline engine: loaded the entity table ({EntityTable}) into a temp table, {Rows} rows in {Elapsed}")]
    public static partial void PostgresEntityTableLoaded(ILogger logger, string entityTable, long rows, TimeSpan elapsed);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "PostgreSQL offline engine: {Operation} ran out of time after {Elapsed}, stopped by {Limit}")]
    public static partial void PostgresTimedOut(ILogger logger, string operation, TimeSpan elapsed, string limit);
}

using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Granary.Online.Diagnostics;

/// <summary>
/// The online stores' log messages, source-generated. Event ids are stable, so alerts can key on them: Granary.Online
/// owns 5000-5999, the embedded store 5001-5099 and Redis 5101-5199 (docs/observability.md has every library's range).
/// </summary>
internal static partial class OnlineLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Embedded online store {Path} opened: {Records} records from {Rows} log rows in {Elapsed}")]
    public static partial void EmbeddedOpened(ILogger logger, string path, long records, long rows, TimeSpan elapsed);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Embedded online store {Path} compacted from {RowsBefore} to {RowsAfter} log rows ({Records} live records)")]
    public static partial void EmbeddedCompacted(ILogger logger, string path, long rowsBefore, long rowsAfter, long records);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Compacting the embedded online store {Path} failed; nothing is lost, and it is tried again after {Rows} more log rows")]
    public static partial void EmbeddedCompactionFailed(ILogger logger, string path, long rows, Exception exception);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "The embedded online store {Path} could not look for other processes' writes; reads serve what memory holds")]
    public static partial void EmbeddedRefreshFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "The embedded online store {Path} was torn down by another process; dropped the {Records} records held in memory")]
    public static partial void EmbeddedTornDownElsewhere(ILogger logger, string path, long records);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Debug, Message = "The embedded online store {Path} loaded {Rows} log rows another process wrote")]
    public static partial void EmbeddedCaughtUp(ILogger logger, string path, long rows);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Connected to Redis {Endpoints} ({Topology})")]
    public static partial void RedisConnected(ILogger logger, string endpoints, string topology);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Cannot connect to Redis {Endpoints}")]
    public static partial void RedisConnectFailed(ILogger logger, string endpoints, Exception exception);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Lost the {ConnectionType} connection to Redis {Endpoint} ({FailureType}); reconnecting")]
    public static partial void RedisConnectionLost(ILogger logger, string? endpoint, ConnectionType connectionType, ConnectionFailureType failureType, Exception? exception);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Information, Message = "Restored the {ConnectionType} connection to Redis {Endpoint}")]
    public static partial void RedisConnectionRestored(ILogger logger, string? endpoint, ConnectionType connectionType);
}

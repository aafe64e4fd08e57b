using Microsoft.Extensions.Logging;

namespace Granary.Server.Diagnostics;

/// <summary>The server's log messages, source-generated; event ids are stable so that alerts can key on them.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Granary feature server for project {Project} listening on {Urls}")]
    public static partial void Listening(ILogger logger, string project, string urls);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Granary feature server stopping; waiting up to {Timeout} for requests in flight")]
    public static partial void Stopping(ILogger logger, TimeSpan timeout);



    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Configuration warning: {Warning}")]
    public static partial void ConfigurationWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "{Endpoint} refused: {Status} {Code}: {Detail}")]
    public static partial void Refused(ILogger logger, string endpoint, int status, string code, string detail);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "{Endpoint} failed: {Status} {Code}: {Detail}")]
    public static partial void Unavailable(ILogger logger, string endpoint, int status, string code, string detail);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "{Endpoint} failed unexpectedly")]
    public static partial void Crashed(ILogger logger, string endpoint, Exception exception);

    // Debug: one event per request, and a single-row push is a request. At Information the console logger's two lines
    // per push cost more than the push itself (docs/BENCHMARKS.md, "Single-row pushes against reads"), as the
    // per-request lines of lookups did; the granary.push.rows counter counts them instead.
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Pushed {Rows} rows to {Source} ({To}): {Written} online values written")]
    public static partial void Pushed(ILogger logger, int rows, string source, Granary.Push.PushTarget to, int written);


    [LoggerMessage(EventId = 1006, Level = LogLevel.Critical, Message = "The stream consumers failed; stopping the server")]
    public static partial void StreamsFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Asking the stream sources for their lag failed: {Detail}")]
    public static partial void StreamLagFailed(ILogger logger, string detail);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "Reading the feature views' freshness failed; the freshness gauge keeps its last values: {Detail}")]
    public static partial void FreshnessFailed(ILogger logger, string detail);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Warning, Message = "Running the alerts failed; they run again at the next monitoring.schedule: {Detail}")]
    public static partial void AlertRunFailed(ILogger logger, string detail);
}

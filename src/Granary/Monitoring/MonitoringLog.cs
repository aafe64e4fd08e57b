using Microsoft.Extensions.Logging;

namespace Granary.Monitoring;

/// <summary>The monitoring log events of the facade (73xx).</summary>
internal static partial class MonitoringLog
{
    [LoggerMessage(EventId = 7301, Level = LogLevel.Warning, Message = "Recording the newest event times of {Views} views failed; they are kept and written with the next flush: {Reason}")]
    public static partial void NewestEventsFailed(ILogger logger, int views, string reason, Exception exception);

    [LoggerMessage(EventId = 7351, Level = LogLevel.Warning, Message = "Writing {Rows} sampled served rows to the serving log failed; they are dropped: {Reason}")]
    public static partial void ServingLogWriteFailed(ILogger logger, int rows, string reason, Exception exception);

    [LoggerMessage(EventId = 7352, Level = LogLevel.Warning, Message = "The serving log queue was full: {Rows} sampled served rows dropped so far; lower monitoring.serving_sample_rate or give the offline store more throughput")]
    public static partial void ServingLogQueueFull(ILogger logger, long rows);
}

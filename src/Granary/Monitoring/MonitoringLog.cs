using Microsoft.Extensions.Logging;

namespace Granary.Monitoring;

/// <summary>The monitoring log events of the facade (73xx).</summary>
internal static partial class MonitoringLog
{
    [LoggerMessage(EventId = 7301, Level = LogLevel.Warning, Message = "Recording the newest event times of {Views} views failed; they are kept and written with the next flush: {Reason}")]
    public static partial void NewestEventsFailed(ILogger logger, int views, string reason, Exception exception);
}

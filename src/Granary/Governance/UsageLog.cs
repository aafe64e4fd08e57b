using Microsoft.Extensions.Logging;

namespace Granary.Governance;

internal static partial class UsageLog
{
    [LoggerMessage(EventId = 7211, Level = LogLevel.Warning,
        Message = "The feature usage queue is full ({Capacity} served requests waiting); uses are dropped and counted until it drains. Raise GranaryOptions.UsageQueueCapacity or shorten UsageFlushInterval.")]
    public static partial void QueueFull(ILogger logger, int capacity);

    [LoggerMessage(EventId = 7212, Level = LogLevel.Warning, Message = "Writing {Rows} feature usage rows failed; they are dropped: {Reason}")]
    public static partial void WriteFailed(ILogger logger, int rows, string reason, Exception exception);

    [LoggerMessage(EventId = 7213, Level = LogLevel.Warning, Message = "Recording feature usage failed; the use is dropped: {Reason}")]
    public static partial void RecordFailed(ILogger logger, string reason, Exception exception);
}

using Microsoft.Extensions.Logging;

namespace Granary.Streams;

/// <summary>The stream host's log messages, with stable event ids (71xx, in the facade's range).</summary>
internal static partial class StreamHostLog
{
    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Stream source {Source}: consuming for {Views}, logging events to {Log}")]
    public static partial void Consuming(ILogger logger, string source, string views, string log);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Information, Message = "Stream source {Source}: {Applied} events applied, {Duplicates} duplicates skipped, {Late} late, {DeadLettered} dead-lettered")]
    public static partial void Summary(ILogger logger, string source, long applied, long duplicates, long late, long deadLettered);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Error, Message = "Stream source {Source}: a batch failed and stays unacknowledged; consuming again in {Delay}")]
    public static partial void BatchFailed(ILogger logger, string source, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Information, Message = "Stream consumers stopped")]
    public static partial void Stopped(ILogger logger);
}

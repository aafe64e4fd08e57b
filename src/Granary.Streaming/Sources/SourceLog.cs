using Microsoft.Extensions.Logging;

namespace Granary.Streaming.Sources;

/// <summary>The stream consumers' log messages, with stable event ids (85xx).</summary>
internal static partial class SourceLog
{
    [LoggerMessage(EventId = 8501, Level = LogLevel.Information, Message = "Stream source {Source}: consuming Redis stream {Stream} in group {Group} as {Consumer}")]
    public static partial void RedisStarted(ILogger logger, string source, string stream, string group, string consumer);

    [LoggerMessage(EventId = 8507, Level = LogLevel.Information, Message = "Stream source {Source}: consuming NATS stream {Stream}, subject {Subject}, with durable consumer {Durable}")]
    public static partial void NatsStarted(ILogger logger, string source, string stream, string subject, string durable);

    [LoggerMessage(EventId = 8502, Level = LogLevel.Warning, Message = "Stream source {Source}: reading failed, retrying in {Delay}")]
    public static partial void ReadFailed(ILogger logger, string source, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 8503, Level = LogLevel.Information, Message = "Stream source {Source}: took over {Count} pending messages idle for at least {Idle}")]
    public static partial void Claimed(ILogger logger, string source, int count, TimeSpan idle);

    [LoggerMessage(EventId = 8504, Level = LogLevel.Warning, Message = "Stream source {Source}: message {Id} was deleted from the stream before it was handled; acknowledged without it")]
    public static partial void Deleted(ILogger logger, string source, string id);

    [LoggerMessage(EventId = 8505, Level = LogLevel.Warning, Message = "Stream source {Source}: message {Id} is malformed and was dead-lettered (acknowledged, not applied): {Field}: {Reason}")]
    public static partial void Malformed(ILogger logger, string source, string id, string field, string reason);

    [LoggerMessage(EventId = 8506, Level = LogLevel.Information, Message = "Stream source {Source}: stopped")]
    public static partial void Stopped(ILogger logger, string source);
}

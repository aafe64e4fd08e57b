using Microsoft.Extensions.Logging;

namespace Granary.Monitoring;

/// <summary>The monitoring log events of the facade (73xx).</summary>
internal static partial class MonitoringLog
{
    [LoggerMessage(EventId = 7301, Level = LogLevel.Warning, Message = "Recording the newest event times of {Views} views failed; they are kept and written with the next flush: {Reason}")]
    public static partial void NewestEventsFailed(ILogger logger, int views, string reason, Exception exception);

    [LoggerMessage(EventId = 7310, Level = LogLevel.Warning, Message = "Alert {Alert} fired for view {View}: {Condition} (value {Value}); sending to {Webhook}")]
    public static partial void AlertFired(ILogger logger, string alert, string view, string condition, string value, string webhook);

    [LoggerMessage(EventId = 7311, Level = LogLevel.Warning, Message = "The webhook {Webhook} of alert {Alert} failed for view {View}; it is retried at the next run: {Reason}")]
    public static partial void WebhookFailed(ILogger logger, string alert, string view, string webhook, string reason);

    [LoggerMessage(EventId = 7312, Level = LogLevel.Warning, Message = "Alert {Alert} was not evaluated for view {View}: {Reason}")]
    public static partial void AlertNotEvaluated(ILogger logger, string alert, string view, string reason);

    [LoggerMessage(EventId = 7313, Level = LogLevel.Information, Message = "Alert run: {Evaluated} evaluated, {Fired} fired, {Suppressed} suppressed by cool-down, {FailedWebhooks} failed webhooks, {NotEvaluated} not evaluated")]
    public static partial void AlertRun(ILogger logger, int evaluated, int fired, int suppressed, int failedWebhooks, int notEvaluated);

    [LoggerMessage(EventId = 7351, Level = LogLevel.Warning, Message = "Writing {Rows} rows to the {Log} failed; they are dropped: {Reason}")]
    public static partial void ServingLogWriteFailed(ILogger logger, int rows, string log, string reason, Exception exception);

    [LoggerMessage(EventId = 7352, Level = LogLevel.Warning, Message = "The {Log} queue was full: {Rows} rows dropped so far; lower monitoring.serving_sample_rate or give the offline store more throughput")]
    public static partial void ServingLogQueueFull(ILogger logger, string log, long rows);
}

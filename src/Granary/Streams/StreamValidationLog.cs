using Microsoft.Extensions.Logging;

namespace Granary.Streams;

/// <summary>What stream ingestion logs about events failing validation rules: the counts and one example (its entity and the field's value).</summary>
internal static partial class StreamValidationLog
{
    [LoggerMessage(EventId = 7105, Level = LogLevel.Warning, Message = "Stream source {Source}: {Failed} events fail rule '{Rule}' ({Severity}) of {View}:{Feature} and were {Outcome}; e.g. {Example}")]
    public static partial void Failed(ILogger logger, string source, long failed, string rule, string severity, string view, string feature, string outcome, string example);
}

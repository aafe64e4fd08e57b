using Microsoft.Extensions.Logging;

namespace Granary.Diagnostics;

/// <summary>
/// The facade's log messages, source-generated; the facade owns event ids 7000-7999 (docs/observability.md has every
/// library's range). Logged wherever the store runs (the CLI, an application, the server), through the logger factory
/// the store was built with.
/// </summary>
internal static partial class FeatureStoreLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Materialized {View} from {Start} to {End}: {Rows} rows read, {Written} written, in {Elapsed}")]
    public static partial void Materialized(ILogger logger, string view, DateTimeOffset start, DateTimeOffset end, long rows, long written, TimeSpan elapsed);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Materializing {View} failed, its watermark unmoved: {Code}: {Detail}")]
    public static partial void MaterializationFailed(ILogger logger, string view, string code, string detail, Exception exception);

    [LoggerMessage(EventId = 7201, Level = LogLevel.Warning, Message = "Served deprecated feature {Feature} to {Caller}; it will be archived and then refused (this warning repeats at most once an hour per caller)")]
    public static partial void ServedDeprecated(ILogger logger, string feature, string caller);
}

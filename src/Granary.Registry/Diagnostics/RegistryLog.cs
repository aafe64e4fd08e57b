using Microsoft.Extensions.Logging;

namespace Granary.Registry.Diagnostics;

/// <summary>
/// The registry's log messages, source-generated. Event ids are stable, so alerts can key on them: Granary.Registry
/// owns 4000-4999, its stores 4001-4099 and the cache of readers 4101-4199 (docs/observability.md has every library's range).
/// </summary>
internal static partial class RegistryLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Created the registry's tables in the {Location} (schema version {SchemaVersion})")]
    public static partial void SchemaCreated(ILogger logger, string location, int schemaVersion);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "The {Location} is at schema version {SchemaVersion}")]
    public static partial void SchemaFound(ILogger logger, string location, long schemaVersion);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Migrated the {Location} from schema version {PreviousVersion} to {SchemaVersion}")]
    public static partial void SchemaMigrated(ILogger logger, string location, long previousVersion, int schemaVersion);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Registry of project {Project} moved from version {PreviousVersion} to {Version}")]
    public static partial void VersionChanged(ILogger logger, string project, long previousVersion, long version);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Registry of project {Project} did not answer; keeping version {Version}, trying again in {RefreshInterval}")]
    public static partial void RefreshFailed(ILogger logger, string project, long version, TimeSpan refreshInterval, Exception exception);
}

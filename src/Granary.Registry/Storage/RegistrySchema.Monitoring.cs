namespace Granary.Registry.Storage;

internal static partial class RegistrySchema
{
    /// <summary>The tables of the monitoring state: the newest event time per view (schema version 3).</summary>
    public static IEnumerable<string> MonitoringStatements(string timestampType, string jsonType)
    {
        // newest_event only moves forward (RegistryStoreBase.Monitoring); recorded_at is when it last did.
        yield return $"""
            CREATE TABLE IF NOT EXISTS granary_view_freshness (
                project      text      NOT NULL,
                view_name    text      NOT NULL,
                newest_event {timestampType} NOT NULL,
                recorded_at  {timestampType} NOT NULL,
                PRIMARY KEY (project, view_name)
            )
            """;
    }
}

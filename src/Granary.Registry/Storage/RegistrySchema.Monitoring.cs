namespace Granary.Registry.Storage;

internal static partial class RegistrySchema
{
    /// <summary>The tables of the monitoring state: the newest event time per view and alerts' last firings (schema version 3).</summary>
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
    
        // One row per (alert, view, condition): the cool-down is measured from fired_at, which only moves forward.
        yield return $"""
            CREATE TABLE IF NOT EXISTS granary_alert_firings (
                project    text      NOT NULL,
                alert_name text      NOT NULL,
                view_name  text      NOT NULL,
                condition  text      NOT NULL,
                fired_at   {timestampType} NOT NULL,
                PRIMARY KEY (project, alert_name, view_name, condition)
            )
            """;
    }
}

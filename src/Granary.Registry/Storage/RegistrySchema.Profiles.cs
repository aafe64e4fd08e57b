namespace Granary.Registry.Storage;

internal static partial class RegistrySchema
{
    /// <summary>The tables of stored feature profiles (schema version 3).</summary>
    public static IEnumerable<string> ProfileStatements(string timestampType, string jsonType)
    {
        // One row per profile: the whole profile (baselines included) is one JSON document, read and written whole;
        // the view and times are columns because listings filter and order on them.
        yield return $"""
            CREATE TABLE IF NOT EXISTS granary_profiles (
                project    text      NOT NULL,
                id         text      NOT NULL,
                view_name  text      NOT NULL,
                start_time {timestampType} NOT NULL,
                end_time   {timestampType} NOT NULL,
                created_at {timestampType} NOT NULL,
                profile    {jsonType} NOT NULL,
                PRIMARY KEY (project, id)
            )
            """;
        yield return "CREATE INDEX IF NOT EXISTS granary_profiles_view ON granary_profiles (project, view_name, created_at)";
    }
}

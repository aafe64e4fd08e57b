namespace Granary.Registry.Storage;

/// <summary>
/// The registry's tables, shared by every store so that SQLite and PostgreSQL hold the same layout under the same
/// names. Only two column types differ between the databases and are passed in: timestamps and JSON (the history's changes
/// and saved datasets' specs).
/// </summary>
internal static class RegistrySchema
{
    /// <summary>
    /// The layout this code writes. Kept in <c>granary_registry_schema</c> so a later migration knows where it starts,
    /// and so an older Granary refuses to write to a registry a newer one has migrated.
    /// </summary>
    public const int CurrentVersion = 1;

    /// <summary>The statements that create the tables if missing, in order.</summary>
    public static IEnumerable<string> CreateStatements(string timestampType, string jsonType)
    {
        yield return $"""
            CREATE TABLE IF NOT EXISTS granary_registry_schema (
                version integer NOT NULL
            )
            """;
        yield return $"""
            CREATE TABLE IF NOT EXISTS granary_registry_projects (
                project    text      NOT NULL PRIMARY KEY,
                version    bigint    NOT NULL,
                updated_at {timestampType} NOT NULL
            )
            """;
        yield return $"""
            CREATE TABLE IF NOT EXISTS granary_registry_objects (
                project         text      NOT NULL,
                kind            text      NOT NULL,
                name            text      NOT NULL,
                spec            text      NOT NULL,
                hash            text      NOT NULL,
                created_version bigint    NOT NULL,
                updated_version bigint    NOT NULL,
                created_at      {timestampType} NOT NULL,
                updated_at      {timestampType} NOT NULL,
                PRIMARY KEY (project, kind, name)
            )
            """;

        // definitions stays text in every database: it is canonical JSON whose exact bytes matter for audit and
        // rollback, which jsonb would not preserve.
        yield return $"""
            CREATE TABLE IF NOT EXISTS granary_registry_history (
                project     text      NOT NULL,
                version     bigint    NOT NULL,
                applied_at  {timestampType} NOT NULL,
                applied_by  text      NOT NULL,
                changes     {jsonType} NOT NULL,
                definitions text      NOT NULL,
                PRIMARY KEY (project, version)
            )
            """;

        // Saved datasets sit beside the definitions, not among them: no version or history row covers them, so an
        // apply never touches this table. spec is the whole record as JSON (DatasetJson); created_at repeats its
        // time as a real timestamp so the table can be queried by age. Added after version 1 was laid out but before
        // anything shipped, so it stays in version 1: IF NOT EXISTS gives it to registries initialized earlier.
        yield return $"""
            CREATE TABLE IF NOT EXISTS granary_registry_datasets (
                project    text      NOT NULL,
                name       text      NOT NULL,
                spec       {jsonType} NOT NULL,
                created_at {timestampType} NOT NULL,
                PRIMARY KEY (project, name)
            )
            """;
    }
}

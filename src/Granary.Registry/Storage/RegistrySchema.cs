namespace Granary.Registry.Storage;

/// <summary>
/// The registry's tables, shared by every store so that SQLite and PostgreSQL hold the same layout under the same
/// names. Only two column types differ between the databases and are passed in: timestamps and JSON (the history's changes,
/// saved datasets' specs and the catalog's metadata).
/// </summary>
/// <remarks>
/// Version 1 holds the definitions, their history and saved datasets; version 2 adds the governed catalog (entries,
/// their versions, usage and a per-project catalog stamp). Every statement is <c>CREATE ... IF NOT EXISTS</c>, so a
/// registry at version 1 is migrated by running them all and recording version 2, in the one locked schema transaction
/// that initialization already takes. Version 3 adds data quality and monitoring: stored profiles
/// (<c>RegistrySchema.Profiles.cs</c>) and the monitoring state (<c>RegistrySchema.Monitoring.cs</c>); each concern keeps
/// its tables in a file of its own.
/// </remarks>
internal static partial class RegistrySchema
{
    /// <summary>
    /// The layout this code writes. Kept in <c>granary_registry_schema</c> so a later migration knows where it starts,
    /// and so an older Granary refuses to write to a registry a newer one has migrated.
    /// </summary>
    public const int CurrentVersion = 3;

    /// <summary>The statements that create the tables of the current version if missing, in order.</summary>
    public static IEnumerable<string> CreateStatements(string timestampType, string jsonType) =>
        Version1Statements(timestampType, jsonType)
            .Concat(Version2Statements(timestampType, jsonType))
            .Concat(Version3Statements(timestampType, jsonType));

    /// <summary>The tables of schema version 1, as every registry created before the catalog has them.</summary>
    public static IEnumerable<string> Version1Statements(string timestampType, string jsonType)
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

    /// <summary>What schema version 2 adds: the governed catalog.</summary>
    /// <remarks>
    /// Booleans are <c>boolean</c> in both databases (SQLite keeps them as 0/1 and reads them back as such). A
    /// version's number is kept as text for display and lookups and again as three integers, so "newest first" is a
    /// numeric order (<c>1.10.0</c> after <c>1.9.0</c>) in SQL.
    /// </remarks>
    public static IEnumerable<string> Version2Statements(string timestampType, string jsonType)
    {
        // One row per catalog entry. owner, status, kind and feature_type are columns because listings filter on them;
        // the rest of the metadata (description, tags, data type, transformation, validation rules, upstream features)
        // is one JSON document, read and written whole.
        yield return $"""
            CREATE TABLE IF NOT EXISTS granary_catalog_entries (
                project         text      NOT NULL,
                name            text      NOT NULL,
                kind            text      NOT NULL,
                status          text      NOT NULL,
                owner           text      NOT NULL,
                feature_type    text,
                current_version text      NOT NULL,
                metadata        {jsonType} NOT NULL,
                applied_keys    {jsonType} NOT NULL,
                defined         boolean   NOT NULL,
                usage_count     bigint    NOT NULL,
                last_used_at    {timestampType},
                created_at      {timestampType} NOT NULL,
                updated_at      {timestampType} NOT NULL,
                deprecated_at   {timestampType},
                PRIMARY KEY (project, name)
            )
            """;
        yield return "CREATE INDEX IF NOT EXISTS granary_catalog_entries_owner ON granary_catalog_entries (project, owner)";
        yield return "CREATE INDEX IF NOT EXISTS granary_catalog_entries_status ON granary_catalog_entries (project, status)";
        yield return "CREATE INDEX IF NOT EXISTS granary_catalog_entries_feature_type ON granary_catalog_entries (project, feature_type)";

        // Written once per version; a rollback only sets is_rolled_back and rolled_back_at on the version it replaced.
        // details holds the changelog, breaking changes and the transformation and validation snapshots as JSON;
        // definition_snapshot stays text because it is canonical JSON whose exact bytes matter, as in history.
        yield return $"""
            CREATE TABLE IF NOT EXISTS granary_catalog_versions (
                project             text      NOT NULL,
                name                text      NOT NULL,
                version             text      NOT NULL,
                major               integer   NOT NULL,
                minor               integer   NOT NULL,
                patch               integer   NOT NULL,
                details             {jsonType} NOT NULL,
                definition_snapshot text,
                registry_version    bigint,
                promoted            boolean   NOT NULL,
                created_by          text      NOT NULL,
                created_at          {timestampType} NOT NULL,
                is_rolled_back      boolean   NOT NULL,
                rolled_back_at      {timestampType},
                restored_from       text,
                PRIMARY KEY (project, name, version)
            )
            """;

        // Append-only: one row per recorded use (or per folded batch of uses, use_count of them).
        yield return $"""
            CREATE TABLE IF NOT EXISTS granary_catalog_usage (
                project                 text      NOT NULL,
                feature_name            text      NOT NULL,
                feature_version         text      NOT NULL,
                used_by_model           text      NOT NULL,
                model_version           text,
                environment             text      NOT NULL,
                feature_importance      double precision,
                correlation_with_target double precision,
                usage_timestamp         {timestampType} NOT NULL,
                execution_id            text,
                execution_duration_ms   double precision,
                use_count               bigint    NOT NULL
            )
            """;
        yield return "CREATE INDEX IF NOT EXISTS granary_catalog_usage_feature ON granary_catalog_usage (project, feature_name)";

        // Moves on every catalog write except usage, so a reader's cache notices a catalog change with the same one
        // small query that notices an apply. A table of its own rather than a column of granary_registry_projects:
        // a catalog write must not create a project row, which the first apply takes as a concurrent apply.
        yield return """
            CREATE TABLE IF NOT EXISTS granary_catalog_stamps (
                project text   NOT NULL PRIMARY KEY,
                stamp   bigint NOT NULL
            )
            """;
    }

    /// <summary>What schema version 3 adds: stored profiles and the monitoring state.</summary>
    public static IEnumerable<string> Version3Statements(string timestampType, string jsonType) =>
        ProfileStatements(timestampType, jsonType).Concat(MonitoringStatements(timestampType, jsonType));
}

namespace Granary.Registry.Configuration;

/// <summary>Where the registry lives: an embedded SQLite file (the default) or a PostgreSQL database.</summary>
/// <param name="Type"><c>sqlite</c> or <c>postgres</c>.</param>
/// <param name="Path">The absolute SQLite file path, for <c>sqlite</c>.</param>
/// <param name="Connection">The Npgsql connection string, for <c>postgres</c>.</param>
public sealed record RegistryConfig(string Type, string? Path, string? Connection)
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary>The default registry location, relative to the repository root.</summary>
    public const string DefaultPath = "data/registry.db";
}

namespace Granary.Offline.Postgres;

/// <summary>The options of <c>offline_store: {type: postgres}</c>: sources are tables and queries in one database.</summary>
public sealed class PostgresOfflineEngineOptions
{
    /// <summary><c>connection</c>, required: the Npgsql connection string of the database holding the sources.</summary>
    public required string Connection { get; set; }
}

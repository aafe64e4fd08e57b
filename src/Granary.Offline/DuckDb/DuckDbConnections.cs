using DuckDB.NET.Data;

namespace Granary.Offline.DuckDb;

/// <summary>
/// Opens DuckDB connections with the session settings every Granary query relies on, so that the schema
/// inspector and the offline engine see timestamps the same way.
/// </summary>
internal static class DuckDbConnections
{
    /// <summary>Opens a private in-memory database: files are read in place, nothing is written to disk.</summary>
    public static async Task<DuckDBConnection> OpenInMemoryAsync(CancellationToken cancellationToken = default)
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        try
        {
            await connection.OpenAsync(cancellationToken);

            // Granary's timestamps are UTC. DuckDB would otherwise render and truncate TIMESTAMPTZ values in the
            // machine's local zone (ICU is linked in), so day boundaries would move with the host.
            await using var command = connection.CreateCommand();
            command.CommandText = "SET TimeZone = 'UTC'";
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}

using System.Globalization;
using Granary.Offline.Retrieval;

namespace Granary.Offline.DuckDb;

// Backfill's read of a stream view's logged events (IStreamEventReader).
internal sealed partial class DuckDbOfflineEngine : IStreamEventReader
{
    public async Task<OfflineRows> ReadEventsAsync(StreamEventsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sql = DuckDbStreamEventsQuery.Build(request);
        var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync(cancellationToken);
        try
        {
            await SetUtcAsync(connection, cancellationToken);
            var command = connection.CreateCommand();
            command.CommandText = sql;
            return new OfflineRows(await command.ExecuteReaderAsync(cancellationToken), command, connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<long> CountEventsAsync(StreamEventsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync(cancellationToken);
        await SetUtcAsync(connection, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = DuckDbStreamEventsQuery.BuildCount(request);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    // A timestamp without a zone in the log is UTC, as the point-in-time join reads it.
    private static async Task SetUtcAsync(DuckDB.NET.Data.DuckDBConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SET TimeZone = 'UTC'";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

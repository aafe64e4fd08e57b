using System.Diagnostics;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Offline.Retrieval;
using Npgsql;

namespace Granary.Offline.Postgres;

// Backfill's read of a stream view's logged events (IStreamEventReader).
internal sealed partial class PostgresOfflineEngine : IStreamEventReader
{
    public async Task<OfflineRows> ReadEventsAsync(StreamEventsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        NpgsqlConnection? connection = null;
        NpgsqlCommand? command = null;
        try
        {
            connection = await OpenInUtcAsync(cancellationToken);
            command = new NpgsqlCommand(PostgresStreamEventsQuery.Build(request), connection);
            AddBounds(command, request);
            return new OfflineRows(await command.ExecuteReaderAsync(cancellationToken), command, connection);
        }
        catch (NpgsqlException e)
        {
            if (command is not null)
            {
                await command.DisposeAsync();
            }

            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            throw EventsError(e, request, started);
        }
    }

    public async Task<long> CountEventsAsync(StreamEventsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await using var connection = await OpenInUtcAsync(cancellationToken);
            await using var command = new NpgsqlCommand(PostgresStreamEventsQuery.BuildCount(request), connection);
            AddBounds(command, request);
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (NpgsqlException e)
        {
            throw EventsError(e, request, started);
        }
    }

    private static void AddBounds(NpgsqlCommand command, StreamEventsRequest request)
    {
        command.Parameters.AddWithValue("start", request.StartMicros);
        command.Parameters.AddWithValue("end", request.EndMicros);
    }

    private GranaryException EventsError(NpgsqlException e, StreamEventsRequest request, long started)
    {
        var what = $"reading the logged events of stream view '{request.View.View.Name}' from source '{request.View.Source.Name}'";
        return TimedOut(e, what, started) ?? Classified(e, what) ?? new GranaryException(
            ErrorCodes.SourceUnavailable, $"PostgreSQL cannot finish {what}: {(e as PostgresException)?.MessageText ?? e.Message}.", e);
    }
}

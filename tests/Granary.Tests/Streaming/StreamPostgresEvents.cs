using Granary.Core.Time;
using Npgsql;
using NpgsqlTypes;

namespace Granary.Tests.Streaming;

/// <summary>Logged events into a PostgreSQL table <c>events</c> (the columns of <see cref="StreamOfflineScenario"/>'s log), by binary COPY.</summary>
internal static class StreamPostgresEvents
{
    public const string CreateTable =
        "CREATE TABLE events (user_id bigint, event_timestamp timestamptz, amount double precision, units bigint, merchant text, txn_id text)";

    /// <summary>Appends <paramref name="events"/> to <c>events</c>, in order (the table's insertion order is the log's order).</summary>
    /// <param name="naiveTimes">Whether <c>event_timestamp</c> is a <c>timestamp</c> without zone, holding UTC wall-clock times.</param>
    public static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<LoggedEvent> events, bool naiveTimes = false)
    {
        await using var writer = await connection.BeginBinaryImportAsync("COPY events (user_id, event_timestamp, amount, units, merchant, txn_id) FROM STDIN (FORMAT BINARY)");
        foreach (var e in events)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync((long)e.Key, NpgsqlDbType.Bigint);
            var utc = UtcMicros.ToDateTimeOffset(e.Event.Micros).UtcDateTime;
            await (naiveTimes
                ? writer.WriteAsync(DateTime.SpecifyKind(utc, DateTimeKind.Unspecified), NpgsqlDbType.Timestamp)
                : writer.WriteAsync(utc, NpgsqlDbType.TimestampTz));
            await WriteAsync(writer, e.Event.Amount, NpgsqlDbType.Double);
            await WriteAsync(writer, e.Event.Units, NpgsqlDbType.Bigint);
            await WriteAsync(writer, e.Event.Merchant, NpgsqlDbType.Text);
            await WriteAsync(writer, e.Id, NpgsqlDbType.Text);
        }

        await writer.CompleteAsync();
    }

    private static Task WriteAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type) =>
        value is null ? writer.WriteNullAsync() : writer.WriteAsync(value, type);
}

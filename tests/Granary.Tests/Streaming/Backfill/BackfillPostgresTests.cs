using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Time;
using Granary.Tests.Infrastructure;
using Npgsql;

namespace Granary.Tests.Streaming.Backfill;

/// <summary>
/// Backfill with the PostgreSQL offline engine, against a real server: the events logged in a table, read ordered by
/// key and time inside PostgreSQL, and what serving answers at the end equal to PostgreSQL's own get-historical.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class BackfillPostgresTests(PostgresServer server)
{
    private static readonly long T0 = StreamEvents.T0;

    [Property(MaxTest = 5)]
    public Property After_a_backfill_from_a_postgres_log_every_feature_online_equals_get_historical_at_the_end() =>
        Prop.ForAll(StreamOfflineScenario.Events.ToArbitrary(), events =>
        {
            Task.Run(() => CheckAsync(events)).GetAwaiter().GetResult();
            return true;
        });

    private async Task CheckAsync(LoggedEvent[] events)
    {
        var connection = await server.CreateDatabaseAsync();
        await LogAsync(connection, events);
        var end = (events.Length == 0 ? T0 : events.Max(e => e.Event.Micros)) + 90_000_000L;
        var offline = ($"{{type: postgres, connection: \"{connection}\"}}", "{name: txn_log, type: postgres, table: events, timestamp_field: event_timestamp}");
        await using var repo = await BackfillRepository.CreateAsync("{type: embedded}", events, end, offline);

        var result = await repo.Store.BackfillAsync(BackfillRepository.View, UtcMicros.ToDateTimeOffset(T0 - 1), UtcMicros.ToDateTimeOffset(end));

        Assert.Equal(events.Length, result.Events + result.Duplicates);
        Assert.Equal(events.Select(e => e.Key).Distinct().Count(), result.Keys);
        await repo.AssertOnlineEqualsHistoricalAsync(1, 2, 3, 4);
    }

    private static async Task LogAsync(string connectionString, IReadOnlyList<LoggedEvent> events)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand(StreamPostgresEvents.CreateTable, connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await StreamPostgresEvents.CopyAsync(connection, events);
    }
}

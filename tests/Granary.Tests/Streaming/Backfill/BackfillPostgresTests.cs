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

    // Naive times in the log are UTC wherever the server is: a database in Tokyo's zone must not shift them by nine
    // hours for backfill, as it does not for get-historical.
    [Fact]
    public async Task A_log_of_naive_timestamps_in_a_database_of_another_zone_is_read_as_utc()
    {
        var events = new LoggedEvent[]
        {
            new(1, new StreamEvent(T0 + 60_000_000, 2.5, 1, "a"), "t1"),
            new(1, new StreamEvent(T0 + 120_000_000, 4.0, 2, "b"), "t2"),
            new(2, new StreamEvent(T0 + 30_000_000, 1.0, 3, "a"), "t3"),
        };

        await CheckAsync(events, naiveTimes: true, zone: "Asia/Tokyo");
    }

    private async Task CheckAsync(LoggedEvent[] events, bool naiveTimes = false, string? zone = null)
    {
        var connection = await server.CreateDatabaseAsync();
        await LogAsync(connection, events, naiveTimes, zone);
        var end = (events.Length == 0 ? T0 : events.Max(e => e.Event.Micros)) + 90_000_000L;
        var offline = ($"{{type: postgres, connection: \"{connection}\"}}", "{name: txn_log, type: postgres, table: events, timestamp_field: event_timestamp}");
        await using var repo = await BackfillRepository.CreateAsync("{type: embedded}", events, end, offline);

        var result = await repo.Store.BackfillAsync(BackfillRepository.View, UtcMicros.ToDateTimeOffset(T0 - 1), UtcMicros.ToDateTimeOffset(end));

        Assert.Equal(events.Length, result.Events + result.Duplicates);
        Assert.Equal(events.Select(e => e.Key).Distinct().Count(), result.Keys);
        await repo.AssertOnlineEqualsHistoricalAsync(1, 2, 3, 4);
    }

    private static async Task LogAsync(string connectionString, IReadOnlyList<LoggedEvent> events, bool naiveTimes, string? zone)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var create = naiveTimes ? StreamPostgresEvents.CreateTable.Replace("event_timestamp timestamptz", "event_timestamp timestamp", StringComparison.Ordinal) : StreamPostgresEvents.CreateTable;
        if (zone is not null)
        {
            // Every later session of this database starts in that zone.
            create += $"; DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET TimeZone = %L', current_database(), '{zone}'); END $$";
        }

        await using (var command = new NpgsqlCommand(create, connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        await StreamPostgresEvents.CopyAsync(connection, events, naiveTimes);
    }
}

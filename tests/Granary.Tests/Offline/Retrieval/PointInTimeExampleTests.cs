using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Offline.DuckDb;
using Granary.Offline.Retrieval;

namespace Granary.Tests.Offline.Retrieval;

/// <summary>What only the DuckDB engine's SQL shows; the semantics every engine shares are in <see cref="Contracts.PointInTimeReaderContract{TEngine}"/>.</summary>
public sealed class PointInTimeExampleTests : IDisposable
{
    private static readonly DateTime T = PitScenario.Origin.AddHours(10);

    private readonly string _root = Directory.CreateTempSubdirectory("granary-pit-example-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Two_views_with_the_same_feature_need_full_feature_names()
    {
        var first = PitScenario.ToPointInTimeView(View(TimeSpan.Zero) with { Index = 1 }, "a.parquet");
        var second = first with { View = first.View with { Name = "other" } };
        var request = new PointInTimeRequest { Entities = EntityTable.FromRelation("e"), Views = [first, second], RepositoryRoot = _root };

        var error = Assert.Throws<GranaryException>(() => DuckDbHistoricalRetrieval.ToSql(request));
        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.Contains("full feature names", error.Message, StringComparison.Ordinal);
        Assert.Contains("other__f1", DuckDbHistoricalRetrieval.ToSql(request with { FullFeatureNames = true }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writes_the_result_of_a_relation_to_parquet_in_input_order()
    {
        var view = View(TimeSpan.Zero, Row(T.AddHours(-1), T.AddHours(-1), 3));
        var file = "view0.parquet";
        await using var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync();
        await ExecuteAsync(connection, $"COPY (SELECT 1::BIGINT AS key, 0::BIGINT AS k2, TIMESTAMPTZ '2026-01-01 09:00:00+00' AS ts, TIMESTAMPTZ '2026-01-01 09:00:00+00' AS created, 3::BIGINT AS val) TO {DuckDbSql.Literal(Path.Combine(_root, file))} (FORMAT parquet)");
        await ExecuteAsync(connection, "CREATE TABLE \"my entities\" AS SELECT * FROM (VALUES (2::BIGINT, 'b', TIMESTAMP '2026-01-01 10:00:00'), (1, 'a', TIMESTAMP '2026-01-01 10:00:00'), (2, 'b', TIMESTAMP '2026-01-01 10:00:00')) t(k, tag, event_timestamp)");
        var output = Path.Combine(_root, "out.parquet");

        await DuckDbHistoricalRetrieval.WriteToFileAsync(
            connection,
            new PointInTimeRequest { Entities = EntityTable.FromRelation("my entities"), Views = [PitScenario.ToPointInTimeView(view, file)], RepositoryRoot = _root },
            output,
            FileFormat.Parquet);

        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT string_agg(concat_ws(':', k, tag, coalesce(f0::VARCHAR, '-')), ',') FROM read_parquet({DuckDbSql.Literal(output)})";
        Assert.Equal("2:b:-,1:a:3,2:b:-", await command.ExecuteScalarAsync());
    }

    // The property tests' sources always have created times; these are the edges of the ASOF ordering key
    // (event time, has a created time, created time) that they never generate.
    [Fact]
    public async Task A_missing_created_time_loses_a_tie_an_infinite_one_wins_and_an_entity_row_without_time_matches_nothing()
    {
        await using var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync();
        var file = "view0.parquet";
        await ExecuteAsync(connection, $"""
            COPY (SELECT * FROM (VALUES
                (1::BIGINT, 0::BIGINT, TIMESTAMPTZ '2026-01-01 09:00:00+00', NULL::TIMESTAMPTZ, 1::BIGINT),
                (1, 0, TIMESTAMPTZ '2026-01-01 09:00:00+00', TIMESTAMPTZ '2026-01-01 09:00:00+00', 2),
                (1, 0, TIMESTAMPTZ '2026-01-01 09:00:00+00', NULL, 3),
                (2, 0, TIMESTAMPTZ '2026-01-01 09:00:00+00', TIMESTAMPTZ 'infinity', 4),
                (2, 0, TIMESTAMPTZ '2026-01-01 09:00:00+00', TIMESTAMPTZ '2026-01-01 12:00:00+00', 5),
                (3, 0, TIMESTAMPTZ '2026-01-01 09:00:00+00', NULL, 6),
                (3, 0, TIMESTAMPTZ '2026-01-01 08:00:00+00', TIMESTAMPTZ '2026-01-01 08:00:00+00', 7),
                (4, 0, TIMESTAMPTZ '-infinity', NULL, 8)) t(key, k2, ts, created, val))
            TO {DuckDbSql.Literal(Path.Combine(_root, file))} (FORMAT parquet)
            """);
        await ExecuteAsync(connection, """
            CREATE TABLE entities AS SELECT * FROM (VALUES
                (1::BIGINT, 'tie', TIMESTAMP '2026-01-01 10:00:00'),
                (2, 'infinite', TIMESTAMP '2026-01-01 10:00:00'),
                (3, 'null-only', TIMESTAMP '2026-01-01 10:00:00'),
                (4, 'minus-infinity', TIMESTAMP '2026-01-01 10:00:00'),
                (1, 'no-time', NULL)) t(k, tag, event_timestamp)
            """);
        var view = View(TimeSpan.Zero, Row(T, T, 0));

        await using var rows = await DuckDbHistoricalRetrieval.ExecuteReaderAsync(
            connection,
            new PointInTimeRequest { Entities = EntityTable.FromRelation("entities"), Views = [PitScenario.ToPointInTimeView(view, file)], RepositoryRoot = _root });
        var answers = new List<string>();
        while (await rows.ReadAsync())
        {
            answers.Add($"{rows.GetString(1)}:{(rows.IsDBNull(3) ? "-" : rows.GetInt64(3))}");
        }

        // Ties on event time: the present created time (2) beats both missing ones, and an infinite one (4) beats a
        // finite one. A later event time without a created time (6) still beats an earlier one with one (7).
        Assert.Equal(["tie:2", "infinite:4", "null-only:6", "minus-infinity:8", "no-time:-"], answers);
    }

    private static PitSourceRow Row(DateTime eventTime, DateTime created, long value) => new(1, 0, eventTime, created, value);

    private static PitView View(TimeSpan ttl, params PitSourceRow[] rows) => new(0, ttl, false, true, FileFormat.Parquet, rows);

    private static async Task ExecuteAsync(DuckDB.NET.Data.DuckDBConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}

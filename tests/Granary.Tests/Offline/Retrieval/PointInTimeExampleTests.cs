using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Offline.DuckDb;
using Granary.Offline.Retrieval;

namespace Granary.Tests.Offline.Retrieval;

public sealed class PointInTimeExampleTests : IDisposable
{
    private static readonly DateTime T = PitScenario.Origin.AddHours(10);

    private readonly string _root = Directory.CreateTempSubdirectory("granary-pit-example-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_tie_on_event_time_goes_to_the_latest_created_time()
    {
        var view = View(TimeSpan.Zero, Row(T.AddHours(-1), T.AddHours(-1), 1), Row(T.AddHours(-1), T.AddMinutes(-30), 2), Row(T.AddHours(-1), T.AddHours(-1).AddSeconds(1), 3));

        Assert.Equal([2L], await FeatureAsync(view));
    }

    [Fact]
    public async Task A_row_exactly_at_t_minus_ttl_counts_and_one_microsecond_older_does_not()
    {
        Assert.Equal([7L], await FeatureAsync(View(TimeSpan.FromHours(2), Row(T.AddHours(-2), T.AddHours(-2), 7))));
        Assert.Equal([null], await FeatureAsync(View(TimeSpan.FromHours(2), Row(T.AddHours(-2).AddMicroseconds(-1), T.AddHours(-3), 7))));
    }

    [Fact]
    public async Task A_row_at_t_counts_and_a_row_after_t_does_not()
    {
        Assert.Equal([5L], await FeatureAsync(View(TimeSpan.FromHours(1), Row(T, T, 5), Row(T.AddHours(-1), T, 4))));
        Assert.Equal([4L], await FeatureAsync(View(TimeSpan.FromHours(1), Row(T.AddMicroseconds(1), T, 5), Row(T.AddHours(-1), T, 4))));
    }

    [Fact]
    public async Task Filtering_by_created_time_falls_back_to_an_older_row_written_in_time()
    {
        var view = View(TimeSpan.Zero, Row(T.AddHours(-1), T.AddHours(1), 9), Row(T.AddHours(-2), T.AddHours(-2), 8));

        Assert.Equal([9L], await FeatureAsync(view));
        Assert.Equal([8L], await FeatureAsync(view, filterByCreated: true));
    }

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

    private static PitSourceRow Row(DateTime eventTime, DateTime created, long value) => new(1, 0, eventTime, created, value);

    private static PitView View(TimeSpan ttl, params PitSourceRow[] rows) => new(0, ttl, false, true, FileFormat.Parquet, rows);

    private async Task<object?[]> FeatureAsync(PitView view, bool filterByCreated = false)
    {
        var rows = await PitScenario.RunEngineAsync(_root, [new PitEntityRow(1, 0, T, 0)], [view], fullNames: false, filterByCreated);
        return [.. rows.Select(r => r[4])];
    }

    private static async Task ExecuteAsync(DuckDB.NET.Data.DuckDBConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}

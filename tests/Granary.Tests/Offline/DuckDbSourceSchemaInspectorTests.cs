using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Offline.DuckDb;

namespace Granary.Tests.Offline;

public sealed class DuckDbSourceSchemaInspectorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("granary-inspector-").FullName;
    private readonly DuckDbSourceSchemaInspector _inspector = new();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Reports_the_columns_and_types_of_a_parquet_file()
    {
        Directory.CreateDirectory(Path.Combine(_root, "data"));
        await ExecuteAsync($"""
            COPY (SELECT 7::BIGINT AS user_id, 0.25::DOUBLE AS ctr_7d, 'US' AS country, true AS active,
                TIMESTAMPTZ '2026-10-01 00:00:00+00' AS event_timestamp)
            TO {DuckDbSql.Literal(Path.Combine(_root, "data", "users.parquet"))} (FORMAT parquet)
            """);

        var schema = await _inspector.InspectAsync(File("data/users.parquet", FileFormat.Parquet), _root);

        Assert.NotNull(schema);
        Assert.Equal(
            [
                new("user_id", "BIGINT"),
                new("ctr_7d", "DOUBLE"),
                new("country", "VARCHAR"),
                new("active", "BOOLEAN"),
                new("event_timestamp", "TIMESTAMP WITH TIME ZONE"),
            ],
            schema.Columns);
    }

    [Fact]
    public async Task Detects_the_types_of_a_csv_file_with_a_header()
    {
        await System.IO.File.WriteAllTextAsync(
            Path.Combine(_root, "stats.csv"),
            "customer_id,event_timestamp,orders_30d,avg_order_value,segment\n" +
            "1,2026-10-01 00:00:00+00,3,42.5,gold\n" +
            "2,2026-10-02 00:00:00+00,0,0.0,new\n");

        var schema = await _inspector.InspectAsync(File("stats.csv", FileFormat.Csv), _root);

        Assert.NotNull(schema);
        Assert.Equal(["customer_id", "event_timestamp", "orders_30d", "avg_order_value", "segment"], schema.Columns.Select(c => c.Name));
        Assert.Equal("BIGINT", schema.Columns[0].EngineType);
        Assert.Equal("TIMESTAMP WITH TIME ZONE", schema.Columns[1].EngineType);
        Assert.Equal("DOUBLE", schema.Columns[3].EngineType);
        Assert.Equal("VARCHAR", schema.Columns[4].EngineType);
    }

    [Fact]
    public async Task Reads_every_file_a_glob_matches()
    {
        var folder = Path.Combine(_root, "parts");
        Directory.CreateDirectory(folder);
        await ExecuteAsync($"COPY (SELECT 1::BIGINT AS ad_id, 2::INTEGER AS clicks) TO {DuckDbSql.Literal(Path.Combine(folder, "a.parquet"))} (FORMAT parquet)");
        await ExecuteAsync($"COPY (SELECT 3::BIGINT AS ad_id, 4::INTEGER AS clicks) TO {DuckDbSql.Literal(Path.Combine(folder, "b.parquet"))} (FORMAT parquet)");

        var schema = await _inspector.InspectAsync(File("parts/*.parquet", FileFormat.Parquet), _root);

        Assert.NotNull(schema);
        Assert.Equal([new("ad_id", "BIGINT"), new("clicks", "INTEGER")], schema.Columns);
    }

    [Fact]
    public async Task Absolute_paths_and_quotes_in_paths_are_read_as_written()
    {
        var folder = Path.Combine(_root, "o'brien");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "x.parquet");
        await ExecuteAsync($"COPY (SELECT 1::BIGINT AS id) TO {DuckDbSql.Literal(path)} (FORMAT parquet)");

        var schema = await _inspector.InspectAsync(File(path, FileFormat.Parquet), "/somewhere/else");

        Assert.True(schema!.Contains("id"));
    }

    [Fact]
    public async Task A_missing_file_is_source_unavailable_naming_the_source_and_path()
    {
        var e = await Assert.ThrowsAsync<GranaryException>(() => _inspector.InspectAsync(File("data/nope.parquet", FileFormat.Parquet), _root));

        Assert.Equal(ErrorCodes.SourceUnavailable, e.Code);
        Assert.Contains("'events'", e.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_root, "data", "nope.parquet"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_glob_matching_nothing_is_source_unavailable()
    {
        var e = await Assert.ThrowsAsync<GranaryException>(() => _inspector.InspectAsync(File("empty/*.parquet", FileFormat.Parquet), _root));

        Assert.Equal(ErrorCodes.SourceUnavailable, e.Code);
        Assert.Contains(Path.Combine(_root, "empty", "*.parquet"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_parquet_is_source_unavailable()
    {
        await System.IO.File.WriteAllTextAsync(Path.Combine(_root, "broken.parquet"), "not parquet at all");

        var e = await Assert.ThrowsAsync<GranaryException>(() => _inspector.InspectAsync(File("broken.parquet", FileFormat.Parquet), _root));

        Assert.Equal(ErrorCodes.SourceUnavailable, e.Code);
        Assert.Contains("broken.parquet", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_kinds_of_source_are_left_to_other_inspectors()
    {
        var source = new PostgresSource { Name = "pg", Table = "events", TimestampField = "event_timestamp" };

        Assert.Null(await _inspector.InspectAsync(source, _root));
    }

    private static FileSource File(string path, FileFormat format) =>
        new() { Name = "events", Path = path, Format = format, TimestampField = "event_timestamp" };

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = await DuckDbConnections.OpenInMemoryAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}

using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Offline.Retrieval;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Offline.Retrieval;

/// <summary>The PostgreSQL engine on each kind of entity table and source.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresPointInTimeExampleTests(PostgresServer server) : PostgresEngineFixture(server)
{
    [Theory]
    [InlineData("entities.parquet")]
    [InlineData("entities.csv")]
    public async Task A_file_entity_table_keeps_its_columns_types_duplicates_and_order(string file)
    {
        var path = await WriteFileAsync(file, """
            SELECT * FROM (VALUES
                (2::BIGINT, 'b, "quoted"', 1.5::DOUBLE, true, TIMESTAMP '2026-01-01 10:00:00', DATE '2026-01-02'),
                (1, 'a', NULL, false, TIMESTAMP '2026-01-01 10:00:00', DATE '2026-01-03'),
                (2, 'b, "quoted"', 1.5, true, TIMESTAMP '2026-01-01 10:00:00', DATE '2026-01-02'),
                (1, 'early', 2.25, NULL, TIMESTAMP '2026-01-01 08:30:00', NULL)
            ) t(k, tag, score, flag, event_timestamp, day)
            """);
        var request = Request(EntityTable.FromFile(path), View(Source()));

        await using var rows = await Engine.ReadAsync(request);

        Assert.Equal(
            ["k", "tag", "score", "flag", "event_timestamp", "day", "f0"],
            Enumerable.Range(0, rows.Reader.FieldCount).Select(rows.Reader.GetName));
        Assert.Equal(typeof(double), rows.Reader.GetFieldType(2));
        Assert.Equal(
            [
                "2|b, \"quoted\"|1.5|True|2026-01-01 10:00|2026-01-02|-",
                "1|a|-|False|2026-01-01 10:00|2026-01-03|3",
                "2|b, \"quoted\"|1.5|True|2026-01-01 10:00|2026-01-02|-",
                "1|early|2.25|-|2026-01-01 08:30|-|1",
            ],
            await ReadAllAsync(rows));
    }

    [Fact]
    public async Task A_query_entity_table_comes_out_in_the_querys_order()
    {
        await ExecuteAsync("CREATE TABLE people (pos int, k bigint, event_timestamp timestamp)");
        await ExecuteAsync("INSERT INTO people VALUES (3, 1, '2026-01-01 10:00'), (1, 2, '2026-01-01 10:00'), (2, 1, '2026-01-01 08:00')");
        var request = Request(EntityTable.FromQuery("SELECT k, event_timestamp FROM people ORDER BY pos;"), View(Source()));

        Assert.Equal(["2|2026-01-01 10:00|-", "1|2026-01-01 08:00|1", "1|2026-01-01 10:00|3"], await ReadAsync(request));
    }

    [Fact]
    public async Task A_relation_entity_table_and_a_schema_qualified_table_source_are_quoted_part_by_part()
    {
        await ExecuteAsync("""
            CREATE SCHEMA "Sales";
            CREATE TABLE "Sales"."daily stats" AS SELECT * FROM features;
            CREATE TABLE "Sales"."Entity Rows" (k bigint, event_timestamp timestamptz);
            INSERT INTO "Sales"."Entity Rows" VALUES (1, '2026-01-01 10:00+00');
            """);
        var request = Request(EntityTable.FromRelation("Sales.\"Entity Rows\""), View(Source("\"Sales\".daily stats")));

        Assert.Equal(["1|2026-01-01 10:00|3"], await ReadAsync(request));
        Assert.Contains("\"Sales\".\"daily stats\"", Engine.Explain(request), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_source_is_read_as_a_subquery()
    {
        var source = Source(table: null, query: "SELECT key, ts, created, val * 10 AS val FROM features WHERE key = 1;");
        var request = Request(EntityTable.FromQuery("SELECT 1::bigint AS k, TIMESTAMP '2026-01-01 08:30' AS event_timestamp"), View(source));

        Assert.Equal(["1|2026-01-01 08:30|10"], await ReadAsync(request));
    }

    [Fact]
    public async Task Field_mapping_renames_source_columns_and_ttl_bounds_age()
    {
        await ExecuteAsync("""
            CREATE TABLE orders ("Customer ID" bigint, event_time timestamp, written_at timestamp, "Amount" bigint);
            INSERT INTO orders VALUES (7, '2026-01-01 07:00', '2026-01-01 07:00', 70), (7, '2026-01-01 07:00', '2026-01-01 07:30', 71);
            """);
        var source = new PostgresSource
        {
            Name = "orders",
            Table = "orders",
            TimestampField = "event_time",
            CreatedTimestampColumn = "written_at",
            FieldMapping = new Dictionary<string, string> { ["Customer ID"] = "k", ["Amount"] = "f0" },
        };
        var entities = EntityTable.FromQuery(
            "SELECT * FROM (VALUES (7::bigint, TIMESTAMP '2026-01-01 09:00'), (7, TIMESTAMP '2026-01-01 09:00:00.000001')) v(k, event_timestamp)");

        Assert.Equal(["7|2026-01-01 09:00|71", "7|2026-01-01 09:00|-"], await ReadAsync(Request(entities, View(source, TimeSpan.FromHours(2)))));
    }

    [Fact]
    public async Task A_view_without_join_keys_takes_the_latest_row_of_the_whole_source()
    {
        var view = View(Source()) with { JoinKeys = [] };
        var entities = EntityTable.FromQuery(
            "SELECT * FROM (VALUES (9::bigint, TIMESTAMP '2026-01-01 10:00'), (9, TIMESTAMP '2026-01-01 08:30'), (9, TIMESTAMP '2026-01-01 12:00')) v(k, event_timestamp)");

        Assert.Equal(["9|2026-01-01 10:00|3", "9|2026-01-01 08:30|1", "9|2026-01-01 12:00|5"], await ReadAsync(Request(entities, view)));
    }

    [Fact]
    public async Task Entity_rows_with_a_null_key_or_time_keep_their_place_and_get_null_features()
    {
        await ExecuteAsync("INSERT INTO features VALUES (NULL, '2026-01-01 08:00+00', '2026-01-01 08:00+00', 7)");
        var entities = EntityTable.FromQuery("""
            SELECT * FROM (VALUES (1::bigint, TIMESTAMP '2026-01-01 10:00'), (NULL, TIMESTAMP '2026-01-01 10:00'),
                (1, NULL), (1, TIMESTAMP '2026-01-01 08:00')) v(k, event_timestamp)
            """);

        Assert.Equal(["1|2026-01-01 10:00|3", "-|2026-01-01 10:00|-", "1|-|-", "1|2026-01-01 08:00|1"], await ReadAsync(Request(entities, View(Source()))));
    }

    [Theory]
    [InlineData("SELECT now() AS event_timestamp", "k")]
    [InlineData("SELECT 1::bigint AS k", "event_timestamp")]
    public async Task An_entity_query_without_a_join_key_or_the_timestamp_names_the_missing_column(string query, string missing)
    {
        var error = await Assert.ThrowsAsync<GranaryException>(() => ReadAsync(Request(EntityTable.FromQuery(query), View(Source()))));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.StartsWith("The entity table (the entity query) has no ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{missing}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("__granary", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_source_is_rejected_before_anything_runs()
    {
        var file = new FileSource { Name = "files", Path = "x.parquet", Format = FileFormat.Parquet, TimestampField = "ts" };
        var request = Request(EntityTable.FromRelation("entities"), View(file));

        var error = await Assert.ThrowsAsync<GranaryException>(() => Engine.ReadAsync(request));
        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.Contains("cannot read files", error.Message, StringComparison.Ordinal);
        Assert.Contains("'files'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_source_table_is_a_source_unavailable_error()
    {
        var request = Request(EntityTable.FromQuery("SELECT 1::bigint AS k, now() AS event_timestamp"), View(Source("nowhere")));

        var error = await Assert.ThrowsAsync<GranaryException>(() => Engine.ReadAsync(request));
        Assert.Equal(ErrorCodes.SourceUnavailable, error.Code);
        Assert.Contains("nowhere", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Feature_name_clashes_need_full_feature_names()
    {
        var first = View(Source());
        var second = first with { View = first.View with { Name = "other" } };
        var request = Request(EntityTable.FromRelation("e"), first, second);

        Assert.Equal(ErrorCodes.InvalidArgument, Assert.Throws<GranaryException>(() => Engine.Explain(request)).Code);
        var sql = Engine.Explain(request with { FullFeatureNames = true });
        Assert.Contains("\"other__f0\"", sql, StringComparison.Ordinal);
    }
}

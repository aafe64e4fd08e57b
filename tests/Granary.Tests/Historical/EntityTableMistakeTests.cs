using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Offline.Retrieval;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Historical;

/// <summary>
/// A mistake in the entity table is reported by DuckDB's engine in the table's terms: the file, the column, the row
/// and what to change, never the engine's error about Granary's own SQL.
/// </summary>
public sealed class EntityTableMistakeTests : IAsyncLifetime
{
    private readonly TempRepository _repo = SampleRepository.Create();
    private FeatureStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = FeatureStore.Open(_repo.Root);
        await _store.ApplyAsync();
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _repo.Dispose();
    }

    private async Task<GranaryException> FailsAsync(string csv, bool fullFeatureNames = false, params string[] features) =>
        await FailsAsync(csv, fullFeatureNames, reservedColumn: false, features);

    private async Task<GranaryException> FailsAsync(string csv, bool fullFeatureNames, bool reservedColumn, params string[] features)
    {
        var path = Path.Combine(_repo.Root, "entities.csv");
        _repo.Write("entities.csv", csv);
        var output = Path.Combine(_repo.Root, "out.parquet");
        var result = await _store.GetHistoricalFeaturesAsync(new()
        {
            Entities = EntityTable.FromFile(path),
            Features = features.Length > 0 ? features : ["user_stats:orders_7d"],
            FullFeatureNames = fullFeatureNames,
        });

        var e = await Assert.ThrowsAsync<GranaryException>(() => result.WriteAsync(output));

        Assert.Equal(ErrorCodes.InvalidArgument, e.Code);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        if (!reservedColumn)
        {
            Assert.DoesNotContain("__granary", e.Message, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(output));
        return e;
    }

    [Fact]
    public async Task A_table_without_event_timestamp_names_the_column_and_how_to_write_it()
    {
        var e = await FailsAsync("user_id,ts\n1,2026-11-01T00:00:00Z\n");

        Assert.Contains("has no 'event_timestamp' column (it has user_id, ts)", e.Message, StringComparison.Ordinal);
        Assert.Contains("ISO-8601", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_table_without_a_join_key_names_the_key_and_its_view()
    {
        var e = await FailsAsync("customer,event_timestamp\n1,2026-11-01T00:00:00Z\n");

        Assert.Contains("has no column 'user_id', the join key of feature view 'user_stats' (it has customer, event_timestamp)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unparsable_timestamp_is_reported_with_its_row_and_value()
    {
        var e = await FailsAsync("user_id,event_timestamp\n1,2026-11-01T00:00:00Z\n2,2026-11-02T00:00:00Z\n2,next tuesday\n");

        Assert.Contains("Row 3 of the entity table", e.Message, StringComparison.Ordinal);
        Assert.Contains("has event_timestamp 'next tuesday', which is not a point in time", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Numbers_in_event_timestamp_are_not_taken_for_times()
    {
        var e = await FailsAsync("user_id,event_timestamp\n1,1762000000\n");

        Assert.Contains("Column 'event_timestamp' of the entity table", e.Message, StringComparison.Ordinal);
        Assert.Contains("holds 64-bit integers (BIGINT), not points in time", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_that_is_not_a_number_where_the_source_keys_are_numbers_is_reported_with_its_row()
    {
        var e = await FailsAsync("user_id,event_timestamp\n1,2026-11-02T00:00:00Z\nu-2,2026-11-02T00:00:00Z\n");

        Assert.Contains("Row 2 of the entity table", e.Message, StringComparison.Ordinal);
        Assert.Contains("has user_id 'u-2', which is not a number, but feature view 'user_stats' matches it against column 'user_id' of source 'user_stats_source', which holds 64-bit integers (BIGINT)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Numeric_keys_against_a_text_key_column_are_reported_with_both_types()
    {
        var e = await FailsAsync("item_id,event_timestamp\n7,2026-11-02T00:00:00Z\n", features: "item_info:price");

        Assert.Contains("Column 'item_id' of the entity table", e.Message, StringComparison.Ordinal);
        Assert.Contains("holds 64-bit integers (BIGINT), but feature view 'item_info' matches it against column 'sku' of source 'item_source', which holds strings (VARCHAR)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_column_named_like_a_requested_feature_is_an_error_that_points_at_full_feature_names()
    {
        var e = await FailsAsync("user_id,event_timestamp,orders_7d\n1,2026-11-02T00:00:00Z,5\n");

        Assert.Contains("has a column 'orders_7d', the name of requested feature 'user_stats:orders_7d'", e.Message, StringComparison.Ordinal);
        Assert.Contains("--full-feature-names", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Full_feature_names_resolve_the_collision_and_keep_both_columns()
    {
        _repo.Write("entities.csv", "user_id,event_timestamp,orders_7d\n1,2026-11-02T00:00:00Z,5\n");
        var output = Path.Combine(_repo.Root, "out.csv");
        var result = await _store.GetHistoricalFeaturesAsync(new()
        {
            Entities = EntityTable.FromFile(Path.Combine(_repo.Root, "entities.csv")),
            Features = ["user_stats:orders_7d"],
            FullFeatureNames = true,
        });

        await result.WriteAsync(output);

        var lines = File.ReadAllLines(output);
        Assert.Equal("user_id,event_timestamp,orders_7d,user_stats__orders_7d", lines[0]);
        Assert.EndsWith(",5,3", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_column_named_like_a_full_feature_name_is_an_error_even_with_full_feature_names()
    {
        var e = await FailsAsync("user_id,event_timestamp,user_stats__orders_7d\n1,2026-11-02T00:00:00Z,5\n", fullFeatureNames: true);

        Assert.Contains("has a column 'user_stats__orders_7d'", e.Message, StringComparison.Ordinal);
        Assert.Contains("Rename the column.", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("--full-feature-names", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_column_with_a_reserved_name_is_an_error()
    {
        var e = await FailsAsync("user_id,event_timestamp,__granary_row\n1,2026-11-02T00:00:00Z,5\n", fullFeatureNames: false, reservedColumn: true);

        Assert.Contains("has a column '__granary_row'; names starting with '__granary_' are reserved for Granary. Rename the column.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_entity_query_that_does_not_parse_names_the_query_not_granarys_sql()
    {
        var result = await _store.GetHistoricalFeaturesAsync(new()
        {
            Entities = EntityTable.FromQuery("SELEC 1 AS user_id"),
            Features = ["user_stats:orders_7d"],
        });

        var e = await Assert.ThrowsAsync<GranaryException>(() => result.ReadAsync());

        Assert.Contains("The entity table (the entity query) cannot be read by DuckDB", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("__granary", e.Message, StringComparison.Ordinal);
    }
}

using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Historical;
using Granary.Offline.Retrieval;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Historical;

/// <summary>Training data through the facade: features resolved from the applied registry, joined by the engine.</summary>
public sealed class HistoricalFeaturesTests
{
    // user_stats (ttl 2d): user 1 has orders_7d=3 from 2026-11-01T00:00Z; user 2 has 0. items (ttl 0): A1 price 9.99 from 2026-10-01.
    private const string Entities = """
        user_id,item_id,event_timestamp,label
        1,A1,2026-10-31T23:59:59Z,1
        1,A1,2026-11-01T00:00:00Z,0
        1,A1,2026-11-03T00:00:00Z,1
        1,A1,2026-11-03T00:00:01Z,0
        2,A1,2026-11-02T12:00:00Z,1
        3,B2,2026-11-02T12:00:00Z,0
        1,A1,2026-11-01T00:00:00Z,0
        """;

    private static async Task<(TempRepository Repo, FeatureStore Store)> AppliedAsync()
    {
        var repo = SampleRepository.Create().Write("entities.csv", Entities);
        var store = FeatureStore.Open(repo.Root);
        await store.ApplyAsync();
        return (repo, store);
    }

    private static async Task<List<object?[]>> ReadAllAsync(HistoricalFeatures result)
    {
        await using var rows = await result.ReadAsync();
        var list = new List<object?[]>();
        while (await rows.Reader.ReadAsync())
        {
            var values = new object?[rows.Reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = rows.Reader.IsDBNull(i) ? null : rows.Reader.GetValue(i);
            }

            list.Add(values);
        }

        return list;
    }

    [Fact]
    public async Task Each_row_gets_the_value_known_at_its_time_within_the_ttl()
    {
        var (repo, store) = await AppliedAsync();
        using var _ = repo;
        await using var __ = store;

        var result = await store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest
        {
            Entities = EntityTable.FromFile(Path.Combine(repo.Root, "entities.csv")),
            Features = ["user_stats:orders_7d", "item_info:price"],
        });
        var rows = await ReadAllAsync(result);

        Assert.Equal(7, rows.Count);
        long? Orders(int row) => rows[row][4] is null ? null : Convert.ToInt64(rows[row][4], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Null(Orders(0));          // one second before the value existed
        Assert.Equal(3, Orders(1));      // exactly at its event time
        Assert.Equal(3, Orders(2));      // exactly at the ttl bound (2d)
        Assert.Null(Orders(3));          // one second past the ttl
        Assert.Equal(0, Orders(4));
        Assert.Null(Orders(5));          // an entity the source does not have
        Assert.Equal(3, Orders(6));      // duplicate entity rows are all kept
        Assert.Equal(9.99, (double)rows[2][5]!, 6);
        Assert.Null(rows[5][5]);
    }

    [Fact]
    public async Task A_feature_service_and_full_feature_names_name_the_columns()
    {
        var (repo, store) = await AppliedAsync();
        using var _ = repo;
        await using var __ = store;
        var output = Path.Combine(repo.Root, "out", "training.csv");

        var result = await store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest
        {
            Entities = EntityTable.FromFile(Path.Combine(repo.Root, "entities.csv")),
            FeatureService = "recommender",
            FullFeatureNames = true,
        });
        var written = await result.WriteAsync(output);

        Assert.Equal(7, written);
        var header = File.ReadLines(output).First();
        Assert.Equal("user_id,item_id,event_timestamp,label,user_stats__orders_7d,item_info__price", header);
        Assert.Equal(8, File.ReadLines(output).Count());
    }

    [Fact]
    public async Task Unknown_features_are_reported_with_a_suggestion()
    {
        var (repo, store) = await AppliedAsync();
        using var _ = repo;
        await using var __ = store;
        var entities = EntityTable.FromFile(Path.Combine(repo.Root, "entities.csv"));

        var feature = await Assert.ThrowsAsync<GranaryException>(() => store.GetHistoricalFeaturesAsync(new() { Entities = entities, Features = ["user_stats:order_7d"] }));
        var view = await Assert.ThrowsAsync<GranaryException>(() => store.GetHistoricalFeaturesAsync(new() { Entities = entities, Features = ["user_stat:orders_7d"] }));
        var both = await Assert.ThrowsAsync<GranaryException>(() => store.GetHistoricalFeaturesAsync(new() { Entities = entities, Features = ["user_stats:orders_7d"], FeatureService = "recommender" }));

        Assert.Contains("Did you mean 'user_stats:orders_7d'?", feature.Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'user_stats'?", view.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.InvalidArgument, both.Code);
    }

    [Fact]
    public async Task An_entity_table_without_a_join_key_is_a_clear_error()
    {
        var (repo, store) = await AppliedAsync();
        using var _ = repo;
        await using var __ = store;
        repo.Write("bad.csv", "customer,event_timestamp\n1,2026-11-01T00:00:00Z\n");

        var result = await store.GetHistoricalFeaturesAsync(new() { Entities = EntityTable.FromFile(Path.Combine(repo.Root, "bad.csv")), Features = ["user_stats:orders_7d"] });
        var e = await Assert.ThrowsAsync<GranaryException>(() => result.WriteAsync(Path.Combine(repo.Root, "out.parquet")));

        Assert.Equal(ErrorCodes.InvalidArgument, e.Code);
        Assert.Contains("user_id", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_is_resolved_before_an_apply()
    {
        using var repo = SampleRepository.Create().Write("entities.csv", Entities);
        await using var store = FeatureStore.Open(repo.Root);

        var e = await Assert.ThrowsAsync<GranaryException>(() => store.GetHistoricalFeaturesAsync(new() { Entities = EntityTable.FromFile(Path.Combine(repo.Root, "entities.csv")), FeatureService = "recommender" }));

        Assert.Contains("granary apply", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_ml_net_data_view_streams_the_same_rows_with_missing_values_as_NaN()
    {
        var (repo, store) = await AppliedAsync();
        using var _ = repo;
        await using var __ = store;
        var result = await store.GetHistoricalFeaturesAsync(new() { Entities = EntityTable.FromFile(Path.Combine(repo.Root, "entities.csv")), Features = ["user_stats:orders_7d", "item_info:category"] });
        var expected = await ReadAllAsync(result);

        var view = result.ToDataView();

        Assert.Equal(["user_id", "item_id", "event_timestamp", "label", "orders_7d", "category"], view.Schema.Select(c => c.Name));
        Assert.Equal(Microsoft.ML.Data.NumberDataViewType.Double, view.Schema["orders_7d"].Type);
        for (var pass = 0; pass < 2; pass++)
        {
            using var cursor = view.GetRowCursor(view.Schema);
            var orders = cursor.GetGetter<double>(view.Schema["orders_7d"]);
            var category = cursor.GetGetter<ReadOnlyMemory<char>>(view.Schema["category"]);
            var row = 0;
            while (cursor.MoveNext())
            {
                double value = 0;
                orders(ref value);
                ReadOnlyMemory<char> text = default;
                category(ref text);
                if (expected[row][4] is null)
                {
                    Assert.True(double.IsNaN(value));
                }
                else
                {
                    Assert.Equal(Convert.ToDouble(expected[row][4], System.Globalization.CultureInfo.InvariantCulture), value);
                }

                Assert.Equal(expected[row][5] as string ?? "", text.ToString());
                row++;
            }

            Assert.Equal(expected.Count, row);
        }
    }
}

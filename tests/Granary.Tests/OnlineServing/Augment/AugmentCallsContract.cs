using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.OnlineServing.Augment;

/// <summary>
/// <see cref="FeatureStore.BatchGetFeaturesAsync"/> and <see cref="FeatureStore.OnlineGetFeaturesAsync"/> over each
/// online store: values written moments before, grouped by each namespace's own entity key in the text form the
/// <c>{namespace}:{feature}:{entity_key}</c> address takes (checked against that address), nulls where nothing is.
/// </summary>
public abstract class AugmentCallsContract : IAsyncLifetime
{
    private const string Definitions = """
        entities:
          - {name: user, join_keys: [user_id], value_type: int64}
          - {name: item, join_keys: [item_id], value_type: string}
        sources:
          - {name: users, type: file, path: data/users.csv, timestamp_field: event_timestamp}
          - {name: items, type: file, path: data/items.csv, timestamp_field: event_timestamp}
          - {name: pairs, type: file, path: data/pairs.csv, timestamp_field: event_timestamp}
        feature_views:
          - name: user_stats
            entities: [user]
            ttl: 0
            source: users
            schema: [{name: orders, dtype: int64}, {name: spend, dtype: float64}]
          - name: item_info
            entities: [item]
            ttl: 0
            source: items
            schema: [{name: price, dtype: float64}]
          - name: user_item
            entities: [user, item]
            ttl: 0
            source: pairs
            schema: [{name: clicks, dtype: int64}]
        """;

    private static readonly FeatureSpec[] AllSpecs =
    [
        new("user_stats", ["orders", "spend"]),
        new("item_info", ["price"]),
        new("user_item", ["clicks"]),
    ];

    private readonly TempRepository _repo = new();

    private FeatureStore _store = null!;

    /// <summary>The <c>online_store</c> section of granary.yaml for this store.</summary>
    protected abstract string OnlineStoreYaml();

    public async Task InitializeAsync()
    {
        _repo.Write("granary.yaml", $"project: {RedisServer.NewProject().Replace('-', '_')}\nonline_store: {OnlineStoreYaml()}\n")
            .Write("features.yaml", Definitions)
            .Write("data/users.csv", "user_id,event_timestamp,orders,spend\n9,2026-10-01T00:00:00Z,1,1.5\n")
            .Write("data/items.csv", "item_id,event_timestamp,price\nZ9,2026-10-01T00:00:00Z,1.5\n")
            .Write("data/pairs.csv", "user_id,item_id,event_timestamp,clicks\n9,Z9,2026-10-01T00:00:00Z,1\n");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 10, 0, 0, 0, TimeSpan.Zero));
        _store = new FeatureStoreBuilder(_repo.Root).UseTimeProvider(time).Build();
        await _store.ApplyAsync();
        const string At = "2026-11-05T00:00:00Z";
        await _store.WriteToOnlineStoreAsync("user_stats", Columns(("user_id", [1L, 2L]), ("event_timestamp", [At, At]), ("orders", [3L, 8L]), ("spend", [12.5, 0.0])));
        await _store.WriteToOnlineStoreAsync("item_info", Columns(("item_id", ["A1", "B2"]), ("event_timestamp", [At, At]), ("price", [9.99, 4.0])));
        await _store.WriteToOnlineStoreAsync("user_item", Columns(("user_id", [1L]), ("item_id", ["A1"]), ("event_timestamp", [At]), ("clicks", [7L])));
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _repo.Dispose();
    }

    [Fact]
    public async Task Batch_groups_each_namespace_by_its_own_canonical_entity_key()
    {
        var spine = new List<IReadOnlyDictionary<string, object?>>
        {
            new Dictionary<string, object?> { ["user_id"] = 1L, ["item_id"] = "A1", ["label"] = 1L },
            new Dictionary<string, object?> { ["user_id"] = "2", ["item_id"] = "B2" },
            new Dictionary<string, object?> { ["user_id"] = 1L, ["item_id"] = "B2" },
        };

        var answer = await _store.BatchGetFeaturesAsync(spine, AllSpecs);

        string[] expected = ["1", "2", "\"A1\"", "\"B2\"", "[1,\"A1\"]", "[2,\"B2\"]", "[1,\"B2\"]"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), answer.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3L, answer["1"]["user_stats:orders"].AsInt64());
        Assert.Equal(12.5, answer["1"]["user_stats:spend"].AsFloat64());
        Assert.Equal(8L, answer["2"]["user_stats:orders"].AsInt64());
        Assert.Equal(["user_stats:orders", "user_stats:spend"], answer["2"].Keys);
        Assert.Equal(9.99, answer["\"A1\""]["item_info:price"].AsFloat64());
        Assert.Equal(4.0, answer["\"B2\""]["item_info:price"].AsFloat64());
        Assert.Equal(7L, answer["[1,\"A1\"]"]["user_item:clicks"].AsInt64());
        Assert.True(answer["[2,\"B2\"]"]["user_item:clicks"].IsNull);
        Assert.True(answer["[1,\"B2\"]"]["user_item:clicks"].IsNull);
    }

    [Fact]
    public async Task Each_batch_key_is_the_one_the_address_reads()
    {
        var spine = new List<IReadOnlyDictionary<string, object?>> { new Dictionary<string, object?> { ["user_id"] = 1L, ["item_id"] = "A1" } };

        var answer = await _store.BatchGetFeaturesAsync(spine, AllSpecs);

        foreach (var (key, values) in answer)
        {
            foreach (var (name, value) in values)
            {
                var byAddress = await _store.GetOnlineValueAsync($"{name}:{key}");
                Assert.Equal(value, byAddress.Value);
            }
        }
    }

    [Fact]
    public async Task Online_answers_one_entity_as_a_flat_map_with_nulls_for_missing_values()
    {
        var keys = new Dictionary<string, object?> { ["user_id"] = "2", ["item_id"] = "A1" };

        var answer = await _store.OnlineGetFeaturesAsync(keys, AllSpecs);

        Assert.Equal(["user_stats:orders", "user_stats:spend", "item_info:price", "user_item:clicks"], answer.Keys);
        Assert.Equal(8L, answer["user_stats:orders"].AsInt64());
        Assert.Equal(0.0, answer["user_stats:spend"].AsFloat64());
        Assert.Equal(9.99, answer["item_info:price"].AsFloat64());
        Assert.True(answer["user_item:clicks"].IsNull);
    }

    [Fact]
    public async Task Unknown_namespaces_and_features_are_not_found_naming_every_one()
    {
        var keys = new Dictionary<string, object?> { ["user_id"] = 1L };

        var e = await Assert.ThrowsAsync<GranaryException>(() => _store.OnlineGetFeaturesAsync(keys, [new("user_statz", ["orders"]), new("user_stats", ["orderz", "spend"])]));

        Assert.Equal(ErrorCodes.NotFound, e.Code);
        Assert.Contains("namespace 'user_statz'", e.Message, StringComparison.Ordinal);
        Assert.Contains("feature 'user_stats:orderz'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("user_stats:spend", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_spine_row_without_a_namespace_join_key_is_refused_naming_the_row()
    {
        var spine = new List<IReadOnlyDictionary<string, object?>>
        {
            new Dictionary<string, object?> { ["user_id"] = 1L, ["item_id"] = "A1" },
            new Dictionary<string, object?> { ["user_id"] = 2L },
        };

        var e = await Assert.ThrowsAsync<GranaryException>(() => _store.BatchGetFeaturesAsync(spine, AllSpecs));

        Assert.Equal(ErrorCodes.InvalidArgument, e.Code);
        Assert.StartsWith("entity_spine[1]: no value for 'item_id'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_spine_answers_nothing()
    {
        var answer = await _store.BatchGetFeaturesAsync([], AllSpecs);

        Assert.Empty(answer);
    }

    private static Dictionary<string, IReadOnlyList<object?>> Columns(params (string Name, object?[] Values)[] columns)
    {
        var result = new Dictionary<string, IReadOnlyList<object?>>(StringComparer.Ordinal);
        foreach (var (name, values) in columns)
        {
            result[name] = values;
        }

        return result;
    }
}

public sealed class EmbeddedAugmentCallsTests : AugmentCallsContract
{
    protected override string OnlineStoreYaml() => "{type: embedded}";
}

[Collection(RedisCollection.Name)]
public sealed class RedisAugmentCallsTests(RedisServer redis) : AugmentCallsContract
{
    protected override string OnlineStoreYaml() => $"{{type: redis, connection: \"{redis.ConnectionString}\"}}";
}

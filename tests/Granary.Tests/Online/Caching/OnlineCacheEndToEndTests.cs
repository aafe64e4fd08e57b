using Granary.Online.Caching;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Online.Caching;

/// <summary>
/// <c>online_store: {type: redis, cache_ttl: 1m}</c> end to end over a real Redis: a value written by another store
/// (another process, as far as this one can tell) is seen once the cached answer's TTL has passed, never before; a
/// value this store writes itself is seen at once.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class OnlineCacheEndToEndTests(RedisServer redis)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Another_stores_write_is_served_after_the_ttl_and_this_stores_own_write_at_once()
    {
        using var repo = SampleRepository.Create()
            .Write("granary.yaml", $"project: c{Guid.NewGuid():N}\nregistry: data/registry.db\nonline_store: {{type: redis, connection: \"{redis.ConnectionString}\", cache_ttl: 1m}}\n");
        var time = new FakeTimeProvider(Now);
        await using var serving = new FeatureStoreBuilder(repo.Root).UseTimeProvider(time).Build();
        await using var other = new FeatureStoreBuilder(repo.Root).UseTimeProvider(new FakeTimeProvider(Now)).Build();
        await serving.ApplyAsync();
        await serving.MaterializeAsync(DateTimeOffset.UnixEpoch, Now, ["user_stats"]);

        var first = await OrdersAsync(serving);
        repo.Write("data/user_stats.csv", SampleRepository.UserStatsCsv + "\n1,2026-11-01T06:00:00Z,2026-11-01T06:05:00Z,9,1.0\n");
        await other.MaterializeAsync(DateTimeOffset.UnixEpoch, Now, ["user_stats"]);
        var withinTtl = await OrdersAsync(serving);
        var fromOther = await OrdersAsync(other);
        time.Advance(TimeSpan.FromSeconds(61));
        var afterTtl = await OrdersAsync(serving);
        repo.Write("data/user_stats.csv", SampleRepository.UserStatsCsv + "\n1,2026-11-01T12:00:00Z,2026-11-01T12:05:00Z,11,1.0\n");
        await serving.MaterializeAsync(DateTimeOffset.UnixEpoch, Now, ["user_stats"]);
        var ownWrite = await OrdersAsync(serving);

        Assert.IsType<CachedOnlineStore>(serving.Online);
        Assert.Equal((3L, 3L, 9L, 9L, 11L), (first, withinTtl, fromOther, afterTtl, ownWrite));
    }

    [Fact]
    public void A_bad_cache_setting_is_an_error_at_its_line_and_a_misspelled_key_names_the_right_one()
    {
        using var repo = SampleRepository.Create()
            .Write("granary.yaml", "project: shop\nonline_store:\n  type: embedded\n  cache_ttl: soon\n  cache_max_entrys: 10\n");

        var e = Assert.Throws<Granary.Core.Errors.DefinitionException>(() => new FeatureStoreBuilder(repo.Root).Build());

        Assert.Contains(e.Diagnostics, d => d.Location is { File: "granary.yaml", Line: 4 } && d.Message.Contains("'cache_ttl'", StringComparison.Ordinal) && d.Message.Contains("'soon'", StringComparison.Ordinal));
        Assert.Contains(e.Diagnostics, d => d.Location is { File: "granary.yaml", Line: 5 } && d.Message.Contains("did you mean 'cache_max_entries'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_cache_ttl_or_with_0_there_is_no_cache()
    {
        foreach (var section in new[] { "{type: embedded}", "{type: embedded, cache_ttl: 0}" })
        {
            using var repo = SampleRepository.Create().Write("granary.yaml", $"project: shop\nonline_store: {section}\n");
            await using var store = new FeatureStoreBuilder(repo.Root).Build();

            Assert.IsNotType<CachedOnlineStore>(store.Online);
        }
    }

    private static async Task<long> OrdersAsync(FeatureStore store) =>
        (await store.GetOnlineValueAsync("user_stats:orders_7d:1")).Value.AsInt64();
}

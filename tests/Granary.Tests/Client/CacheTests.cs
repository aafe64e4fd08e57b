using Granary.Client;
using Granary.Client.Caching;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Client;

/// <summary>The client's cache: least recently used out first, nothing served past its TTL, only present rows kept.</summary>
public sealed class CacheTests
{
    [Fact]
    public void The_least_recently_used_entry_goes_first_when_the_cache_is_full()
    {
        var cache = new LruCache<string, int>(2, TimeSpan.FromMinutes(1), new FakeTimeProvider());
        cache.Set("a", 1);
        cache.Set("b", 2);
        Assert.True(cache.TryGet("a", out _));

        cache.Set("c", 3);

        Assert.True(cache.TryGet("a", out var a));
        Assert.Equal(1, a);
        Assert.False(cache.TryGet("b", out _));
        Assert.True(cache.TryGet("c", out _));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void An_entry_is_served_within_its_ttl_and_not_after()
    {
        var clock = new FakeTimeProvider();
        var cache = new LruCache<string, int>(10, TimeSpan.FromSeconds(30), clock);
        cache.Set("a", 1);

        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.True(cache.TryGet("a", out _));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(cache.TryGet("a", out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task Repeated_keys_are_answered_from_the_cache_within_its_ttl_and_fetched_again_after()
    {
        var clock = new FakeTimeProvider();
        var transport = new FakeTransport();
        using var client = FakeTransport.Client(transport, o =>
        {
            o.CacheSize = 100;
            o.CacheTtl = TimeSpan.FromSeconds(10);
            o.TimeProvider = clock;
        });
        await client.GetOnlineFeaturesAsync(OnlineFeaturesRequest.ForFeatures("v:a").WithEntityColumn("user_id", [1L, 2L]));
        transport.Generation = 1000;

        var mixed = await client.GetOnlineFeaturesAsync(OnlineFeaturesRequest.ForFeatures("v:a").WithEntityColumn("user_id", [2L, 3L, 1L]));

        Assert.Equal([20L, 1030L, 10L], Enumerable.Range(0, 3).Select(i => mixed.GetInt64(i, "v:a")!.Value));
        Assert.Equal([3L], transport.Reads[1].EntityColumns[0].Values.Cast<long>());

        clock.Advance(TimeSpan.FromSeconds(10));
        var later = await client.GetOnlineFeaturesAsync(OnlineFeaturesRequest.ForFeatures("v:a").WithEntityColumn("user_id", [1L]));
        Assert.Equal(1010L, later.GetInt64(0, "v:a"));
        Assert.Equal(3, transport.Reads.Count);
    }

    [Fact]
    public async Task Another_feature_set_is_another_cache_entry()
    {
        var transport = new FakeTransport();
        using var client = FakeTransport.Client(transport, o =>
        {
            o.CacheSize = 100;
            o.CacheTtl = TimeSpan.FromMinutes(1);
        });

        await client.GetOnlineFeaturesAsync(OnlineFeaturesRequest.ForFeatures("v:a").WithEntityColumn("user_id", [1L]));
        await client.GetOnlineFeaturesAsync(OnlineFeaturesRequest.ForFeatures("v:b").WithEntityColumn("user_id", [1L]));
        await client.GetOnlineFeaturesAsync(OnlineFeaturesRequest.ForFeatureService("svc").WithEntityColumn("user_id", [1L]));
        await client.GetOnlineFeaturesAsync(OnlineFeaturesRequest.ForFeatureService("svc").WithEntityColumn("user_id", [1]));

        Assert.Equal(3, transport.Reads.Count);
    }

    [Theory]
    [InlineData(FeatureStatus.NotFound)]
    [InlineData(FeatureStatus.OutsideMaxAge)]
    public async Task Rows_without_a_fresh_value_are_not_cached(FeatureStatus status)
    {
        var transport = new FakeTransport { Status = status };
        using var client = FakeTransport.Client(transport, o =>
        {
            o.CacheSize = 100;
            o.CacheTtl = TimeSpan.FromMinutes(1);
        });

        await client.GetOnlineFeaturesAsync(OnlineFeaturesRequest.ForFeatures("v:a").WithEntityColumn("user_id", [1L]));
        var again = await client.GetOnlineFeaturesAsync(OnlineFeaturesRequest.ForFeatures("v:a").WithEntityColumn("user_id", [1L]));

        Assert.Equal(2, transport.Reads.Count);
        Assert.Equal(status, again.GetStatus(0, "v:a"));
        Assert.Null(again.GetInt64(0, "v:a"));
    }

    [Fact]
    public void Keys_tell_apart_values_of_other_types_and_ignore_the_order_of_join_keys()
    {
        var ab = OnlineFeaturesCache.Keys(OnlineFeaturesRequest.ForFeatures("v:a").AddEntity(("a", 1L), ("b", "x")));
        var ba = OnlineFeaturesCache.Keys(OnlineFeaturesRequest.ForFeatures("v:a").AddEntity(("b", "x"), ("a", 1)));
        var text = OnlineFeaturesCache.Keys(OnlineFeaturesRequest.ForFeatures("v:a").AddEntity(("a", "1"), ("b", "x")));

        Assert.Equal(ab, ba);
        Assert.NotEqual(ab, text);
    }
}

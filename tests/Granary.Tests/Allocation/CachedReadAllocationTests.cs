using Granary.Core.Model;
using Granary.Core.Values;
using Granary.Online;
using Granary.Online.Caching;
using Granary.Tests.Online;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Allocation;

/// <summary>A batch read that the online read cache answers whole allocates nothing: no task, no buffer, no copy of the keys.</summary>
public sealed class CachedReadAllocationTests
{
    [Fact]
    public async Task A_read_answered_wholly_from_the_cache_allocates_nothing()
    {
        var schema = new RecordSchema([new Field("a", FeatureType.Int64)]);
        await using var store = new CachedOnlineStore(
            new NaiveOnlineStore(new NaiveOnlineStore.Data()), new OnlineCacheOptions { Ttl = TimeSpan.FromHours(1) }, new FakeTimeProvider(), OnlineCacheMetrics.For(null));
        OnlineKey[] keys = [.. Enumerable.Range(0, 8).Select(i => new OnlineKey(i % 2 == 0 ? "a" : "b", EntityKey.Create(FeatureValue.Int64(i))))];
        await store.WriteAsync([.. keys.Select(k => new OnlineWrite(k.View, k.Entity, OnlineRecord.Encode(schema, 1, 1, [FeatureValue.Int64(1)])))]);
        var records = new byte[]?[keys.Length];
        await store.ReadAsync(keys, records);

        var bytes = AllocationMeter.BytesPerCall(_ =>
        {
            var read = store.ReadAsync(keys, records);
            if (!read.IsCompletedSuccessfully)
            {
                throw new InvalidOperationException("A read answered from the cache did not complete synchronously.");
            }
        });

        Assert.Equal(0, bytes);
        Assert.All(records, Assert.NotNull);
    }
}

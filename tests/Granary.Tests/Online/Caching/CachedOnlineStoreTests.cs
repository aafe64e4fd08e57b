using Granary.Core.Model;
using Granary.Core.Values;
using Granary.Online;
using Granary.Online.Caching;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Online.Caching;

/// <summary>
/// The read cache's behaviour that the property test does not reach: a read racing a write, "none" answers,
/// teardown, and the argument checks a read answered from memory still makes.
/// </summary>
public sealed class CachedOnlineStoreTests
{
    private static readonly RecordSchema Schema = new([new Field("a", FeatureType.Int64)]);
    private static readonly OnlineKey Key = new("stats", EntityKey.Create(FeatureValue.Int64(1)));

    [Fact]
    public async Task A_read_that_began_before_a_write_completed_does_not_leave_the_old_record_cached()
    {
        var data = new NaiveOnlineStore.Data();
        var gated = new GatedStore(new NaiveOnlineStore(data));
        await using var store = Cached(gated, new FakeTimeProvider());
        await store.WriteAsync([new OnlineWrite(Key.View, Key.Entity, Record(1))]);

        gated.Hold();
        var records = new byte[]?[1];
        var racing = store.ReadAsync([Key], records).AsTask();
        await gated.Reading;
        await store.WriteAsync([new OnlineWrite(Key.View, Key.Entity, Record(2))]);
        gated.Release();
        await racing;
        var after = await ReadOne(store);

        Assert.Equal(1, OnlineRecord.EventMicros(records[0]!));
        Assert.Equal(2, OnlineRecord.EventMicros(after!));
    }

    [Fact]
    public async Task A_key_with_no_record_is_answered_none_from_memory_until_the_ttl_passes()
    {
        var data = new NaiveOnlineStore.Data();
        var time = new FakeTimeProvider();
        await using var store = Cached(new NaiveOnlineStore(data), time);

        var first = await ReadOne(store);
        data.Records[Key] = Record(5);
        var withinTtl = await ReadOne(store);
        time.Advance(TimeSpan.FromSeconds(30));
        var afterTtl = await ReadOne(store);

        Assert.Null(first);
        Assert.Null(withinTtl);
        Assert.Equal(5, OnlineRecord.EventMicros(afterTtl!));
    }

    [Fact]
    public async Task Teardown_forgets_what_was_cached()
    {
        var data = new NaiveOnlineStore.Data();
        await using var store = Cached(new NaiveOnlineStore(data), new FakeTimeProvider());
        await store.WriteAsync([new OnlineWrite(Key.View, Key.Entity, Record(1))]);
        Assert.NotNull(await ReadOne(store));

        await store.TeardownAsync();

        Assert.Null(await ReadOne(store));
    }

    [Fact]
    public async Task A_read_served_from_memory_still_refuses_bad_arguments_a_disposed_store_and_a_cancelled_token()
    {
        var data = new NaiveOnlineStore.Data();
        var store = Cached(new NaiveOnlineStore(data), new FakeTimeProvider());
        await store.WriteAsync([new OnlineWrite(Key.View, Key.Entity, Record(1))]);
        Assert.NotNull(await ReadOne(store));

        await Assert.ThrowsAsync<ArgumentException>(() => store.ReadAsync([Key, Key], new byte[]?[1]).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.ReadAsync([Key], new byte[]?[1], new CancellationToken(canceled: true)).AsTask());
        await store.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.ReadAsync([Key], new byte[]?[1]).AsTask());
    }

    private static CachedOnlineStore Cached(IOnlineStore inner, TimeProvider time) =>
        new(inner, new OnlineCacheOptions { Ttl = TimeSpan.FromSeconds(30) }, time, OnlineCacheMetrics.For(null));

    private static async Task<byte[]?> ReadOne(IOnlineStore store)
    {
        var records = new byte[]?[1];
        await store.ReadAsync([Key], records);
        return records[0];
    }

    private static byte[] Record(long eventMicros) => OnlineRecord.Encode(Schema, eventMicros, eventMicros, [FeatureValue.Int64(eventMicros)]);

    /// <summary>A store whose reads, once <see cref="Hold"/> is called, take their records and then wait for <see cref="Release"/>.</summary>
    private sealed class GatedStore(IOnlineStore inner) : IOnlineStore
    {
        private TaskCompletionSource? _gate;
        private readonly TaskCompletionSource _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => inner.Name;

        public Task Reading => _reading.Task;

        public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _gate!.SetResult();

        public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

        public Task<int> WriteAsync(IReadOnlyList<OnlineWrite> writes, CancellationToken cancellationToken = default) => inner.WriteAsync(writes, cancellationToken);

        public async ValueTask ReadAsync(IReadOnlyList<OnlineKey> keys, byte[]?[] records, CancellationToken cancellationToken = default)
        {
            await inner.ReadAsync(keys, records, cancellationToken);
            if (_gate is { } gate)
            {
                _reading.TrySetResult();
                await gate.Task;
            }
        }

        public Task<DateTimeOffset?> GetWatermarkAsync(string view, CancellationToken cancellationToken = default) => inner.GetWatermarkAsync(view, cancellationToken);

        public Task SetWatermarkAsync(string view, DateTimeOffset watermark, CancellationToken cancellationToken = default) => inner.SetWatermarkAsync(view, watermark, cancellationToken);

        public Task TeardownAsync(CancellationToken cancellationToken = default) => inner.TeardownAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}

using Granary.Online;
using Granary.Core.Values;

namespace Granary.Tests.Online;

// Teardown (granary teardown): every store forgets its project's records and watermarks, and works as new afterwards.
public abstract partial class OnlineStoreContract
{
    [Fact]
    public async Task Teardown_removes_every_record_and_watermark_and_the_store_works_as_new_afterwards()
    {
        var store = await Create();
        var writes = Enumerable.Range(0, 300).Select(i => new OnlineWrite(i % 2 == 0 ? Stats : Trips, Key(i), Record(T0, T0, i, $"v{i}"))).ToArray();
        await store.WriteAsync(writes);
        await store.SetWatermarkAsync(Stats, DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        await store.SetWatermarkAsync(Trips, DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));

        await store.TeardownAsync();

        var keys = writes.Select(w => new OnlineKey(w.View, w.Entity)).ToArray();
        Assert.All(await Read(store, keys), Assert.Null);
        Assert.Null(await store.GetWatermarkAsync(Stats));
        Assert.Null(await store.GetWatermarkAsync(Trips));

        // An older record than the removed one wins now: nothing is left to compare it with.
        var older = Record(T0 - 1_000_000, UtcMicrosNone, 1, "after");
        Assert.Equal(1, await store.WriteAsync([new OnlineWrite(Stats, Key(0), older)]));
        await store.SetWatermarkAsync(Stats, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        store = await Reopen(store);
        Assert.Equal(older, await ReadOne(store, Stats, Key(0)));
        Assert.Null(await ReadOne(store, Stats, Key(2)));
        Assert.Null(await ReadOne(store, Trips, Key(1)));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), await store.GetWatermarkAsync(Stats));
        Assert.Null(await store.GetWatermarkAsync(Trips));
    }

    [Fact]
    public async Task Teardown_of_one_store_leaves_another_namespace_untouched()
    {
        var torn = await Create();
        var kept = await Create();
        var record = Record(T0, T0, 7, "kept");
        await torn.WriteAsync([new OnlineWrite(Stats, Key(1), Record(T0, T0, 1, "torn"))]);
        await kept.WriteAsync([new OnlineWrite(Stats, Key(1), record)]);
        await kept.SetWatermarkAsync(Stats, DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));

        await torn.TeardownAsync();

        Assert.Null(await ReadOne(torn, Stats, Key(1)));
        Assert.Equal(record, await ReadOne(kept, Stats, Key(1)));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000), await kept.GetWatermarkAsync(Stats));
    }

    [Fact]
    public async Task Teardown_of_an_empty_store_succeeds_and_changes_nothing()
    {
        var store = await Create();

        await store.TeardownAsync();
        await store.TeardownAsync();

        Assert.Null(await ReadOne(store, Stats, Key(1)));
        Assert.Equal(1, await store.WriteAsync([new OnlineWrite(Stats, Key(1), Record(T0, T0, 1, "x"))]));
    }

    private static long UtcMicrosNone => Granary.Core.Time.UtcMicros.None;
}

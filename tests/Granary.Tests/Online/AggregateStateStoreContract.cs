using System.Buffers.Binary;
using Granary.Core.Values;
using Granary.Online;

namespace Granary.Tests.Online;

/// <summary>
/// The behaviour every <see cref="IAggregateStateStore"/> must have, run against each backend as
/// <see cref="OnlineStoreContract"/> is: compare-and-set per key, versions that only grow, stream watermarks that only
/// move forward, all surviving a reopen, and none of it lost to concurrent writers.
/// </summary>
public abstract class AggregateStateStoreContract : OnlineStoreSuite
{
    private const string View = "user_spend";

    [Fact]
    public async Task A_key_never_written_reads_no_state_at_version_zero()
    {
        var (_, states) = await CreateAsync();

        var read = await ReadAsync(states, Key(1));

        Assert.Null(read.State);
        Assert.Equal(0, read.Version);
    }

    [Fact]
    public async Task A_state_set_from_version_zero_reads_back_at_version_one_after_a_reopen()
    {
        var (store, states) = await CreateAsync();
        byte[] state = [1, 2, 3, 0, 255];

        Assert.True(await SetAsync(states, Key(1), 0, state));
        var read = await ReadAsync(states, Key(1));
        Assert.Equal(state, read.State);
        Assert.Equal(1, read.Version);

        states = Capability(await Reopen(store));
        var reopened = await ReadAsync(states, Key(1));
        Assert.Equal(state, reopened.State);
        Assert.Equal(1, reopened.Version);
    }

    [Fact]
    public async Task A_write_expecting_a_stale_version_is_refused_and_leaves_the_state_as_it_was()
    {
        var (_, states) = await CreateAsync();
        await SetAsync(states, Key(1), 0, [1]);
        await SetAsync(states, Key(1), 1, [2]);

        Assert.False(await SetAsync(states, Key(1), 1, [9]));
        Assert.False(await SetAsync(states, Key(1), 0, [9]));
        Assert.False(await SetAsync(states, Key(1), 7, [9]));

        var read = await ReadAsync(states, Key(1));
        Assert.Equal([2], read.State);
        Assert.Equal(2, read.Version);
    }

    [Fact]
    public async Task Writes_of_one_batch_succeed_or_fail_each_on_its_own_version()
    {
        var (_, states) = await CreateAsync();
        await SetAsync(states, Key(1), 0, [1]);
        var applied = new bool[3];

        var count = await states.CompareAndSetStatesAsync(
            [new AggregateStateWrite(View, Key(1), 0, [10]), new AggregateStateWrite(View, Key(2), 0, [20]), new AggregateStateWrite("other", Key(1), 0, [30])],
            applied);

        Assert.Equal(2, count);
        Assert.Equal([false, true, true], applied);
        Assert.Equal([1], (await ReadAsync(states, Key(1))).State);
        Assert.Equal([20], (await ReadAsync(states, Key(2))).State);
        var other = new AggregateStateEntry[1];
        await states.ReadStatesAsync([new OnlineKey("other", Key(1))], other);
        Assert.Equal([30], other[0].State);
    }

    [Fact]
    public async Task Concurrent_writers_applying_to_one_key_by_compare_and_set_lose_no_update()
    {
        var (_, states) = await CreateAsync();
        const int writers = 4;
        const int increments = 25;

        // Each writer adds one to a counter kept as the state, read-modify-write with retries: any lost update shows.
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < increments; i++)
            {
                while (true)
                {
                    var current = await ReadAsync(states, Key(1));
                    var value = current.State is null ? 0 : BinaryPrimitives.ReadInt64LittleEndian(current.State);
                    var next = new byte[8];
                    BinaryPrimitives.WriteInt64LittleEndian(next, value + 1);
                    if (await SetAsync(states, Key(1), current.Version, next))
                    {
                        break;
                    }
                }
            }
        })));

        var final = await ReadAsync(states, Key(1));
        Assert.Equal(writers * increments, BinaryPrimitives.ReadInt64LittleEndian(final.State));
        Assert.Equal(writers * increments, final.Version);
    }

    [Fact]
    public async Task A_stream_watermark_only_moves_forward_and_survives_a_reopen()
    {
        var (store, states) = await CreateAsync();
        Assert.Null(await states.GetStreamWatermarkAsync("txn"));

        // Values past 2^53 and below zero: exact, and ordered as integers, not as text or doubles.
        long[] steps = [-10, -5, -100, 9, 10, 9_007_199_254_740_993, 9_007_199_254_740_992, 99, 253_402_300_799_999_999];
        var expected = long.MinValue;
        foreach (var step in steps)
        {
            await states.AdvanceStreamWatermarkAsync("txn", step);
            expected = Math.Max(expected, step);
            Assert.Equal(expected, await states.GetStreamWatermarkAsync("txn"));
        }

        await states.AdvanceStreamWatermarkAsync("clicks", 5);
        states = Capability(await Reopen(store));
        Assert.Equal(expected, await states.GetStreamWatermarkAsync("txn"));
        Assert.Equal(5, await states.GetStreamWatermarkAsync("clicks"));
    }

    [Fact]
    public async Task States_and_records_of_one_key_are_kept_apart()
    {
        var (store, states) = await CreateAsync();
        await SetAsync(states, Key(1), 0, [7]);

        var records = new byte[]?[1];
        await store.ReadAsync([new OnlineKey(View, Key(1))], records);

        Assert.Null(records[0]);
        Assert.Null((await ReadAsync(states, Key(2))).State);
    }

    [Fact]
    public async Task Teardown_removes_states_and_stream_watermarks()
    {
        var (store, states) = await CreateAsync();
        await SetAsync(states, Key(1), 0, [7]);
        await states.AdvanceStreamWatermarkAsync("txn", 42);

        await store.TeardownAsync();

        Assert.Equal(default, await ReadAsync(states, Key(1)));
        Assert.Null(await states.GetStreamWatermarkAsync("txn"));
        Assert.True(await SetAsync(states, Key(1), 0, [8]));
    }

    [Fact]
    public async Task A_batch_naming_one_key_twice_is_refused_whole()
    {
        var (_, states) = await CreateAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => states.CompareAndSetStatesAsync(
            [new AggregateStateWrite(View, Key(2), 0, [1]), new AggregateStateWrite(View, Key(1), 0, [1]), new AggregateStateWrite(View, Key(1), 0, [2])],
            new bool[3]));

        Assert.Null((await ReadAsync(states, Key(2))).State);
    }

    [Fact]
    public async Task A_disposed_store_refuses_state_calls()
    {
        var (store, states) = await CreateAsync();
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => states.ReadStatesAsync([new OnlineKey(View, Key(1))], new AggregateStateEntry[1]).AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => states.CompareAndSetStatesAsync([new AggregateStateWrite(View, Key(1), 0, [1])], new bool[1]));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => states.AdvanceStreamWatermarkAsync("txn", 1));
    }

    private static EntityKey Key(long id) => EntityKey.Create(FeatureValue.Int64(id));

    private static IAggregateStateStore Capability(IOnlineStore store) =>
        store.GetCapability<IAggregateStateStore>() ?? throw new InvalidOperationException($"The {store.Name} store keeps no aggregate states.");

    private static async Task<AggregateStateEntry> ReadAsync(IAggregateStateStore states, EntityKey key)
    {
        var read = new AggregateStateEntry[1];
        await states.ReadStatesAsync([new OnlineKey(View, key)], read);
        return read[0];
    }

    private static async Task<bool> SetAsync(IAggregateStateStore states, EntityKey key, long expected, byte[] state)
    {
        var applied = new bool[1];
        await states.CompareAndSetStatesAsync([new AggregateStateWrite(View, key, expected, state)], applied);
        return applied[0];
    }

    private async Task<(IOnlineStore Store, IAggregateStateStore States)> CreateAsync()
    {
        var store = await Create();
        return (store, Capability(store));
    }
}

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Values;
using Granary.Online;

namespace Granary.Tests.Online;

// The rules of IOnlineStore's doc comments that are not last-write-wins itself: result slots, duplicates, the order of
// argument, disposal and cancellation checks, cancellation and disposal while writing. Every backend runs them.
public abstract partial class OnlineStoreContract
{
    /// <summary>Keys to read after random writes: views written or not, entities written or not, repeats allowed.</summary>
    private static readonly Gen<(int View, int Entity)[]> ReadKeys =
        Gen.Choose(0, 12).SelectMany(n => Gen.ArrayOf(Gen.Zip(Gen.Choose(0, Views.Length), Gen.Choose(0, 5)), n));

    [Fact]
    public async Task Read_fills_the_first_slots_of_a_longer_array_and_leaves_the_rest_as_they_were()
    {
        var store = await Create();
        var record = Record(T0, T0, 1, "x");
        await store.WriteAsync([new OnlineWrite(Stats, Key(1), record)]);
        var stale = new byte[] { 0xDE, 0xAD };
        var records = new byte[]?[] { stale, stale, stale, stale };

        await store.ReadAsync([new(Stats, Key(1)), new(Stats, Key(2))], records);

        Assert.Equal(record, records[0]);
        Assert.Null(records[1]);
        Assert.Same(stale, records[2]);
        Assert.Same(stale, records[3]);
    }

    [Fact]
    public async Task Read_with_fewer_slots_than_keys_is_refused_before_any_slot_is_written()
    {
        var store = await Create();
        await store.WriteAsync([new OnlineWrite(Stats, Key(1), Record(T0, T0, 1, "x"))]);
        var records = new byte[]?[1];

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await store.ReadAsync([new(Stats, Key(1)), new(Stats, Key(2))], records));

        Assert.Equal("records", error.ParamName);
        Assert.Null(records[0]);
    }

    [Fact]
    public async Task A_key_given_several_times_in_one_read_gets_its_record_in_every_slot()
    {
        var store = await Create();
        var one = Record(T0, T0, 1, "one");
        await store.WriteAsync([new OnlineWrite(Stats, Key(1), one)]);

        var records = await Read(store, [new(Stats, Key(1)), new(Stats, Key(9)), new(Stats, Key(1)), new(Stats, Key(9)), new(Stats, Key(1))]);

        Assert.Equal([one, null, one, null, one], records);
    }

    [Property(MaxTest = 30)]
    public Property Reads_with_repeats_unknown_views_and_spare_slots_match_the_reference() =>
        Prop.ForAll(Batches.ToArbitrary(), ReadKeys.ToArbitrary(), (batches, keys) => Run(() => CheckReads(batches, keys)));

    [Fact]
    public async Task A_view_never_written_reads_null_records_and_a_null_watermark()
    {
        var store = await Create();
        await store.WriteAsync([new OnlineWrite(Stats, Key(1), Record(T0, T0, 1, "x"))]);
        await store.SetWatermarkAsync(Stats, DateTimeOffset.UnixEpoch);

        Assert.Null(await ReadOne(store, "never_written", Key(1)));
        Assert.Null(await store.GetWatermarkAsync("never_written"));
    }

    [Fact]
    public async Task Invalid_arguments_are_refused_and_nothing_of_the_batch_is_written()
    {
        var store = await Create();
        var valid = new OnlineWrite(Stats, Key(1), Record(T0, T0, 1, "valid"));

        await Assert.ThrowsAsync<ArgumentNullException>(() => store.WriteAsync(null!));
        var notARecord = await Assert.ThrowsAsync<GranaryException>(() => store.WriteAsync([valid, new OnlineWrite(Stats, Key(2), [1, 2, 3])]));
        Assert.Equal(ErrorCodes.InvalidArgument, notARecord.Code);
        Assert.Contains("Write 1", notARecord.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.InvalidArgument, (await Assert.ThrowsAsync<GranaryException>(() => store.WriteAsync([valid, new OnlineWrite(Stats, Key(3), null!)]))).Code);
        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync([valid, new OnlineWrite("", Key(4), Record(T0, T0, 4, "no view"))]));
        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync([valid, new OnlineWrite(null!, Key(5), Record(T0, T0, 5, "no view"))]));

        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.ReadAsync(null!, new byte[]?[1]));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.ReadAsync([new(Stats, Key(1))], null!));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.ReadAsync([new(Stats, Key(1)), new("", Key(1))], new byte[]?[2]));
        await Assert.ThrowsAsync<ArgumentNullException>(() => store.GetWatermarkAsync(null!));
        await Assert.ThrowsAsync<ArgumentException>(() => store.GetWatermarkAsync(""));
        await Assert.ThrowsAsync<ArgumentNullException>(() => store.SetWatermarkAsync(null!, DateTimeOffset.UnixEpoch));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SetWatermarkAsync("", DateTimeOffset.UnixEpoch));

        // The valid write that came first in each refused batch was not applied: it still creates its value now.
        Assert.Null(await ReadOne(store, Stats, Key(1)));
        Assert.Equal(1, await store.WriteAsync([valid]));
    }

    [Fact]
    public async Task A_token_cancelled_before_the_call_is_refused_and_nothing_is_done()
    {
        var store = await Create();
        var kept = Record(T0, T0, 1, "kept");
        await store.WriteAsync([new OnlineWrite(Stats, Key(1), kept)]);
        await store.SetWatermarkAsync(Stats, DateTimeOffset.UnixEpoch);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var token = cancelled.Token;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.WriteAsync([new OnlineWrite(Stats, Key(2), Record(T0, T0, 2, "cancelled"))], token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.WriteAsync([], token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.ReadAsync([new(Stats, Key(1))], new byte[]?[1], token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.SetWatermarkAsync(Stats, DateTimeOffset.UnixEpoch.AddDays(1), token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.GetWatermarkAsync(Stats, token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.TeardownAsync(token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.InitializeAsync(token));

        // Arguments are checked before the token.
        await Assert.ThrowsAsync<ArgumentNullException>(() => store.WriteAsync(null!, token));

        Assert.Equal([kept, null], await Read(store, [new(Stats, Key(1)), new(Stats, Key(2))]));
        Assert.Equal(DateTimeOffset.UnixEpoch, await store.GetWatermarkAsync(Stats));
    }

    [Fact]
    public async Task A_write_cancelled_while_it_runs_applies_whole_records_or_completes_and_its_replay_completes_it()
    {
        var store = await Create();
        var batch = Enumerable.Range(0, 20_000).Select(i => new OnlineWrite(Stats, Key(i), Record(T0, T0, i, $"v{i}"))).ToArray();
        var keys = batch.Select(w => new OnlineKey(w.View, w.Entity)).ToArray();
        using var cancellation = new CancellationTokenSource();

        var write = store.WriteAsync(batch, cancellation.Token);
        await cancellation.CancelAsync();
        int? written = null;
        try
        {
            written = await write;
        }
        catch (OperationCanceledException)
        {
        }

        // Whatever the outcome, each key holds nothing or its own record, and that no longer changes.
        var after = await Read(store, keys);
        for (var i = 0; i < keys.Length; i++)
        {
            Assert.True(after[i] is null || after[i]!.AsSpan().SequenceEqual(batch[i].Record), $"key {i} holds a record it was not given");
        }

        var held = after.Count(r => r is not null);
        if (written is { } count)
        {
            Assert.Equal(batch.Length, count);
        }

        Assert.Equal(after, await Read(store, keys));
        Assert.Equal(batch.Length - held, await store.WriteAsync(batch));
        Assert.Equal(batch.Select(w => w.Record), await Read(store, keys));
    }

    [Fact]
    public async Task Disposing_waits_for_a_write_already_accepted()
    {
        var store = await Create();
        var batch = Enumerable.Range(0, 20_000).Select(i => new OnlineWrite(i % 2 == 0 ? Stats : Trips, Key(i), Record(T0, T0, i, $"v{i}"))).ToArray();

        var write = store.WriteAsync(batch);
        await store.DisposeAsync();

        Assert.Equal(batch.Length, await write);
        store = await Reopen(store);
        Assert.Equal(batch.Select(w => w.Record), await Read(store, [.. batch.Select(w => new OnlineKey(w.View, w.Entity))]));
    }

    [Fact]
    public async Task After_disposal_every_call_throws_object_disposed_even_for_empty_batches()
    {
        var store = await CreateStoreAsync();
        await store.WriteAsync([new OnlineWrite(Stats, Key(1), Record(T0, T0, 1, "x"))]);
        var name = store.Name;

        await store.DisposeAsync();
        await store.DisposeAsync();

        Assert.Equal(name, store.Name);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.WriteAsync([new OnlineWrite(Stats, Key(2), Record(T0, T0, 2, "late"))]));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.WriteAsync([]));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.ReadAsync([new(Stats, Key(1))], new byte[]?[1]));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.ReadAsync([], []));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.GetWatermarkAsync(Stats));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.SetWatermarkAsync(Stats, DateTimeOffset.UnixEpoch));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.TeardownAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.InitializeAsync());

        // Arguments are checked before disposal, and disposal before the token.
        await Assert.ThrowsAsync<ArgumentNullException>(() => store.WriteAsync(null!));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.WriteAsync([], new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task A_key_written_several_times_in_one_batch_counts_every_replacement_in_list_order()
    {
        var store = await Create();
        await store.WriteAsync([new OnlineWrite(Stats, Key(1), Record(T0, T0, 0, "stored"))]);
        var newest = Record(T0 + 3, T0, 3, "newest");

        // Replaces, replaces, loses to the one before it, replaces; a new key; a tie with what the batch wrote before.
        var changed = await store.WriteAsync(
        [
            new OnlineWrite(Stats, Key(1), Record(T0 + 1, T0, 1, "newer")),
            new OnlineWrite(Stats, Key(1), Record(T0 + 2, T0, 2, "newer still")),
            new OnlineWrite(Stats, Key(1), Record(T0 + 1, T0 + 9, 9, "older than the batch's own")),
            new OnlineWrite(Stats, Key(1), newest),
            new OnlineWrite(Stats, Key(2), Record(T0, T0, 20, "new key")),
            new OnlineWrite(Stats, Key(2), Record(T0, T0, 21, "tie with the batch's own")),
        ]);

        Assert.Equal(4, changed);
        Assert.Equal([newest, Record(T0, T0, 20, "new key")], await Read(store, [new(Stats, Key(1)), new(Stats, Key(2))]));
    }

    private async Task<bool> CheckReads((int View, int Entity, int Schema, long Event, long Created)[][] batches, (int View, int Entity)[] picks)
    {
        var store = await CreateStoreAsync();
        try
        {
            var reference = new NaiveReference();
            var serial = 0;
            foreach (var generated in batches)
            {
                var batch = generated.Select(w => new OnlineWrite(Views[w.View], Key(w.Entity), w.Schema == 0
                    ? Record(w.Event, w.Created, serial, $"write {serial++}")
                    : WiderRecord(w.Event, w.Created, serial, $"write {serial++}"))).ToArray();
                reference.Apply(batch);
                await store.WriteAsync(batch);
            }

            // Index Views.Length names a view nobody wrote; entity 5 was never written in any view.
            var keys = picks.Select(p => new OnlineKey(p.View < Views.Length ? Views[p.View] : "unwritten", Key(p.Entity))).ToArray();
            var spare = new byte[] { 1 };
            var records = new byte[]?[keys.Length + 2];
            Array.Fill(records, spare);
            await store.ReadAsync(keys, records);
            for (var i = 0; i < keys.Length; i++)
            {
                Assert.Equal(reference.Get(keys[i]), records[i]);
            }

            Assert.Same(spare, records[^1]);
            Assert.Same(spare, records[^2]);
            return true;
        }
        finally
        {
            await store.DisposeAsync();
        }
    }
}

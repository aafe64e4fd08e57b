using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Model;
using Granary.Online;
using Granary.Core.Time;
using Granary.Core.Values;

namespace Granary.Tests.Online;

/// <summary>
/// The behaviour every <see cref="IOnlineStore"/> must have. A backend is tested by deriving a class that says how to
/// make a fresh, empty, initialized store (and, where it can, how to reopen one over the same data); every test then
/// runs against it. Assertions are on what the store returns after writes, after a reopen where the backend supports
/// one, never on the objects the test built.
/// </summary>
public abstract partial class OnlineStoreContract : OnlineStoreSuite
{
    private const string Stats = "driver_stats";
    private const string Trips = "driver_trips";

    private static readonly RecordSchema Schema = new([new Field("a", FeatureType.Int64), new Field("b", FeatureType.String)]);

    /// <summary>The same view after a feature was added: another fingerprint, as after an apply that changed the view.</summary>
    private static readonly RecordSchema Wider = new([new Field("a", FeatureType.Int64), new Field("b", FeatureType.String), new Field("c", FeatureType.Float64)]);

    private static readonly long T0 = UtcMicros.From(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>Event-time choices for random writes: ties, pre-epoch and sub-second neighbours.</summary>
    private static readonly long[] EventTimes = [-1_000_000, 0, T0, T0 + 1, T0 + 1_000_000];

    /// <summary>Created-time choices for random writes, including "none".</summary>
    private static readonly long[] CreatedTimes = [UtcMicros.None, 0, T0, T0 + 1];

    private static readonly string[] Views = [Stats, Trips, "v3"];

    /// <summary>
    /// One random write: view, entity, schema (0: <see cref="Schema"/>, 1: <see cref="Wider"/>), event time and created
    /// time, drawn from small sets so they collide. Most writes keep one schema, so last-write-wins is exercised
    /// between schema changes too.
    /// </summary>
    private static readonly Gen<(int View, int Entity, int Schema, long Event, long Created)> Writes =
        Gen.Zip(
            Gen.Zip(Gen.Zip(Gen.Choose(0, Views.Length - 1), Gen.Choose(0, 3)), Gen.Choose(0, 3).Select(n => n == 3 ? 1 : 0)),
            Gen.Zip(Gen.Elements(EventTimes), Gen.Elements(CreatedTimes)),
            (key, times) => (key.Item1.Item1, key.Item1.Item2, key.Item2, times.Item1, times.Item2));

    private static readonly Gen<(int View, int Entity, int Schema, long Event, long Created)[][]> Batches =
        Gen.Choose(1, 6).SelectMany(n => Gen.ArrayOf(Gen.Choose(1, 10).SelectMany(m => Gen.ArrayOf(Writes, m)), n));

    /// <summary>Several writes for one key, in a random order (times only; the payload says which write it is).</summary>
    private static readonly Gen<(long Event, long Created)[]> SameKeyWrites =
        Gen.Choose(2, 8).SelectMany(n => Gen.ArrayOf(Gen.Zip(Gen.Elements(EventTimes), Gen.Elements(CreatedTimes)), n));

    /// <summary>
    /// Disposes <paramref name="store"/> and returns a new instance over the same data, as after a process restart.
    /// The default returns the same instance, for backends that cannot be reopened from a test.
    /// </summary>
    protected override Task<IOnlineStore> ReopenAsync(IOnlineStore store) => Task.FromResult(store);

    [Fact]
    public async Task Written_record_reads_back_byte_for_byte()
    {
        var store = await Create();
        var key = Key(42);
        var record = Record(T0, T0 + 5, 7, "seven");

        Assert.Equal(1, await store.WriteAsync([new OnlineWrite(Stats, key, record)]));

        Assert.Equal(record, await ReadOne(store, Stats, key));
        store = await Reopen(store);
        Assert.Equal(record, await ReadOne(store, Stats, key));
    }

    [Fact]
    public async Task Missing_keys_read_null()
    {
        var store = await Create();

        Assert.Null(await ReadOne(store, Stats, Key(1)));

        await store.WriteAsync([new OnlineWrite(Stats, Key(1), Record(T0, T0, 1, "x"))]);

        // Same entity in another view, another entity in the same view, and the same digits as a string key.
        Assert.Null(await ReadOne(store, Trips, Key(1)));
        Assert.Null(await ReadOne(store, Stats, Key(2)));
        Assert.Null(await ReadOne(store, Stats, EntityKey.Create(FeatureValue.String("1"))));
        Assert.NotNull(await ReadOne(store, Stats, Key(1)));
    }

    [Fact]
    public async Task Empty_batches_write_nothing_and_read_nothing()
    {
        var store = await Create();

        Assert.Equal(0, await store.WriteAsync([]));
        await store.ReadAsync([], []);
    }

    [Fact]
    public async Task Many_keys_are_read_in_one_call_in_order_across_views()
    {
        var store = await Create();
        var writes = new List<OnlineWrite>();
        for (var i = 0; i < 250; i++)
        {
            if (i % 3 != 0)
            {
                writes.Add(new OnlineWrite(Stats, Key(i), Record(T0 + i, T0, i, $"stats-{i}")));
            }

            if (i % 2 == 0)
            {
                writes.Add(new OnlineWrite(Trips, Key(i), Record(T0 - i, T0, -i, $"trips-{i}")));
            }
        }

        Assert.Equal(writes.Count, await store.WriteAsync(writes));
        store = await Reopen(store);

        // 500 keys: both views interleaved, in a shuffled order, with repeats of some keys.
        var keys = new List<OnlineKey>();
        var random = new Random(1234);
        foreach (var i in Enumerable.Range(0, 250).OrderBy(_ => random.Next()))
        {
            keys.Add(new OnlineKey(Stats, Key(i)));
            keys.Add(new OnlineKey(Trips, Key(i)));
        }

        keys[^1] = keys[0];
        var records = await Read(store, keys);

        Assert.Equal(500, records.Length);
        var expected = writes.ToDictionary(w => new OnlineKey(w.View, w.Entity), w => w.Record);
        for (var i = 0; i < keys.Count; i++)
        {
            Assert.Equal(expected.GetValueOrDefault(keys[i]), records[i]);
        }

        Assert.Contains(records, r => r is null);
        Assert.Contains(records, r => r is not null);
    }

    [Fact]
    public async Task Read_overwrites_every_slot_of_the_output_array()
    {
        var store = await Create();
        await store.WriteAsync([new OnlineWrite(Stats, Key(1), Record(T0, T0, 1, "x"))]);
        var stale = new byte[] { 0xDE, 0xAD };
        var records = new byte[]?[] { stale, stale, stale };

        await store.ReadAsync([new(Stats, Key(0)), new(Stats, Key(1)), new(Trips, Key(1))], records);

        Assert.Null(records[0]);
        Assert.Equal(Record(T0, T0, 1, "x"), records[1]);
        Assert.Null(records[2]);
    }

    [Fact]
    public async Task Older_event_never_overwrites_a_newer_one()
    {
        var store = await Create();
        var newer = Record(T0 + 10, T0, 1, "newer");
        await store.WriteAsync([new OnlineWrite(Stats, Key(1), newer)]);

        // Older event even with a much later created time.
        Assert.Equal(0, await store.WriteAsync([new OnlineWrite(Stats, Key(1), Record(T0 + 9, T0 + 1_000_000_000, 2, "older"))]));
        store = await Reopen(store);
        Assert.Equal(0, await store.WriteAsync([new OnlineWrite(Stats, Key(1), Record(T0, T0 + 1, 3, "older after reopen"))]));

        Assert.Equal(newer, await ReadOne(store, Stats, Key(1)));
    }

    [Fact]
    public async Task Newer_event_overwrites_an_older_one()
    {
        var store = await Create();
        await store.WriteAsync([new OnlineWrite(Stats, Key(1), Record(T0, T0 + 100, 1, "older"))]);
        store = await Reopen(store);
        var newer = Record(T0 + 1, UtcMicros.None, 2, "newer");

        Assert.Equal(1, await store.WriteAsync([new OnlineWrite(Stats, Key(1), newer)]));

        Assert.Equal(newer, await ReadOne(store, Stats, Key(1)));
    }

    [Fact]
    public async Task Equal_event_time_is_won_by_the_greater_created_time()
    {
        var store = await Create();
        var first = Record(T0, T0 + 1, 1, "first");
        var later = Record(T0, T0 + 2, 2, "created later");
        await store.WriteAsync([new OnlineWrite(Stats, Key(1), first)]);

        Assert.Equal(1, await store.WriteAsync([new OnlineWrite(Stats, Key(1), later)]));
        Assert.Equal(0, await store.WriteAsync([new OnlineWrite(Stats, Key(1), first)]));
        Assert.Equal(0, await store.WriteAsync([new OnlineWrite(Stats, Key(1), Record(T0, UtcMicros.None, 3, "no created time"))]));

        Assert.Equal(later, await ReadOne(store, Stats, Key(1)));
    }

    [Fact]
    public async Task Equal_event_and_created_time_keeps_the_first_record()
    {
        var store = await Create();
        var first = Record(T0, T0, 1, "first");
        await store.WriteAsync([new OnlineWrite(Stats, Key(1), first)]);

        Assert.Equal(0, await store.WriteAsync([new OnlineWrite(Stats, Key(1), Record(T0, T0, 2, "second"))]));
        store = await Reopen(store);
        Assert.Equal(0, await store.WriteAsync([new OnlineWrite(Stats, Key(1), Record(T0, T0, 3, "third"))]));

        Assert.Equal(first, await ReadOne(store, Stats, Key(1)));
    }

    [Fact]
    public async Task Write_returns_how_many_records_changed_a_value()
    {
        var store = await Create();
        await store.WriteAsync(
        [
            new OnlineWrite(Stats, Key(1), Record(T0, T0, 1, "a")),
            new OnlineWrite(Stats, Key(2), Record(T0, T0, 2, "b")),
            new OnlineWrite(Stats, Key(3), Record(T0, T0, 3, "c")),
        ]);

        var changed = await store.WriteAsync(
        [
            new OnlineWrite(Stats, Key(1), Record(T0 + 1, T0, 10, "newer")),
            new OnlineWrite(Stats, Key(2), Record(T0 - 1, T0, 20, "older")),
            new OnlineWrite(Stats, Key(3), Record(T0, T0, 30, "tie")),
            new OnlineWrite(Stats, Key(4), Record(T0, T0, 40, "new key")),
            new OnlineWrite(Trips, Key(1), Record(T0, T0, 50, "new view")),
        ]);

        Assert.Equal(3, changed);
    }

    [Fact]
    public async Task Replaying_a_batch_changes_nothing()
    {
        var store = await Create();
        var batch = Enumerable.Range(0, 20)
            .Select(i => new OnlineWrite(i % 2 == 0 ? Stats : Trips, Key(i % 7), Record(T0 + (i % 4), T0 + (i % 3), i, $"v{i}")))
            .ToArray();
        var keys = batch.Select(w => new OnlineKey(w.View, w.Entity)).ToArray();

        Assert.True(await store.WriteAsync(batch) > 0);
        var before = await Read(store, keys);

        Assert.Equal(0, await store.WriteAsync(batch));
        store = await Reopen(store);
        Assert.Equal(0, await store.WriteAsync(batch));
        Assert.Equal(0, await store.WriteAsync([.. Enumerable.Reverse(batch)]));

        Assert.Equal(before, await Read(store, keys));
    }

    [Fact]
    public async Task Keys_that_differ_only_in_separators_kinds_or_encoding_are_different_entries()
    {
        var store = await Create();
        EntityKey[] keys =
        [
            EntityKey.Create(FeatureValue.String("a:b"), FeatureValue.String("c")),
            EntityKey.Create(FeatureValue.String("a"), FeatureValue.String("b:c")),
            EntityKey.Create(FeatureValue.String("a:b:c")),
            EntityKey.Create(FeatureValue.Int64(1)),
            EntityKey.Create(FeatureValue.String("1")),
            EntityKey.Create(FeatureValue.String("日本 😀")),
            EntityKey.Create(FeatureValue.String("")),
            EntityKey.Create(FeatureValue.String("{tag}")),
            EntityKey.Create(FeatureValue.String("*")),
            EntityKey.Create(FeatureValue.Bytes([0, 255, 0x3A, 0x0A])),
            EntityKey.Create(FeatureValue.Bytes([])),
            EntityKey.Create(FeatureValue.Int64(long.MinValue), FeatureValue.Bool(false)),
        ];
        var writes = keys.Select((k, i) => new OnlineWrite(Stats, k, Record(T0, T0, i, $"entity {i}"))).ToArray();

        Assert.Equal(keys.Length, await store.WriteAsync(writes));
        store = await Reopen(store);

        Assert.Equal(writes.Select(w => w.Record), await Read(store, [.. keys.Select(k => new OnlineKey(Stats, k))]));
    }

    [Fact]
    public async Task Store_keeps_records_as_opaque_bytes_of_any_schema()
    {
        var store = await Create();
        var other = new RecordSchema([new Field("z", FeatureType.Float64.AsList()), new Field("y", FeatureType.Bytes)]);
        var record = OnlineRecord.Encode(other, T0, T0, [FeatureValue.List(ScalarKind.Float64, new[] { double.NaN, 1.5 }), FeatureValue.Null(FeatureType.Bytes)]);
        await store.WriteAsync([new OnlineWrite(Stats, Key(1), Record(T0 - 1, T0, 1, "old schema"))]);

        Assert.Equal(1, await store.WriteAsync([new OnlineWrite(Stats, Key(1), record)]));

        Assert.Equal(record, await ReadOne(store, Stats, Key(1)));
    }

    [Theory]
    [InlineData(-10)]
    [InlineData(0)]
    [InlineData(10)]
    public async Task A_stored_record_of_another_schema_never_blocks_a_write(long eventOffset)
    {
        var store = await Create();
        await store.WriteAsync([new OnlineWrite(Stats, Key(1), Record(T0, T0, 1, "before the view changed"))]);
        var changed = WiderRecord(T0 + eventOffset, T0 + eventOffset, 2, "after the view changed");

        // Older, equal or newer times alike: the stored record's times say nothing a reader of the new schema can use.
        Assert.Equal(1, await store.WriteAsync([new OnlineWrite(Stats, Key(1), changed)]));
        Assert.Equal(changed, await ReadOne(store, Stats, Key(1)));
        store = await Reopen(store);
        Assert.Equal(changed, await ReadOne(store, Stats, Key(1)));

        // The rule does not order schemas: a writer still on the old definitions replaces the new record in turn.
        var reverted = Record(T0 - 20, UtcMicros.None, 3, "old definitions again");
        Assert.Equal(1, await store.WriteAsync([new OnlineWrite(Stats, Key(1), reverted)]));
        store = await Reopen(store);
        Assert.Equal(reverted, await ReadOne(store, Stats, Key(1)));
    }

    [Fact]
    public async Task After_a_schema_change_last_write_wins_holds_among_records_of_the_new_schema()
    {
        var store = await Create();
        await store.WriteAsync([new OnlineWrite(Stats, Key(1), Record(T0 + 10, T0 + 10, 1, "old schema, newer"))]);
        await store.WriteAsync([new OnlineWrite(Stats, Key(1), WiderRecord(T0, T0, 2, "new schema"))]);
        store = await Reopen(store);

        Assert.Equal(0, await store.WriteAsync([new OnlineWrite(Stats, Key(1), WiderRecord(T0 - 1, T0 + 100, 3, "older event"))]));
        Assert.Equal(0, await store.WriteAsync([new OnlineWrite(Stats, Key(1), WiderRecord(T0, T0, 4, "full tie"))]));
        var newer = WiderRecord(T0 + 1, UtcMicros.None, 5, "newer event");
        Assert.Equal(1, await store.WriteAsync([new OnlineWrite(Stats, Key(1), newer)]));
        store = await Reopen(store);

        Assert.Equal(newer, await ReadOne(store, Stats, Key(1)));
    }

    [Fact]
    public async Task Within_one_batch_writes_of_two_schemas_apply_in_batch_order()
    {
        var store = await Create();
        var last = Record(T0 + 1, T0, 3, "old schema, last in the batch");

        // Each write replaces the one before it: the second is of another schema than the first, the third of another
        // schema than the second, although the third is older than the first.
        var changed = await store.WriteAsync(
        [
            new OnlineWrite(Stats, Key(1), Record(T0 + 5, T0, 1, "old schema, newest")),
            new OnlineWrite(Stats, Key(1), WiderRecord(T0, T0, 2, "new schema")),
            new OnlineWrite(Stats, Key(1), last),
        ]);
        store = await Reopen(store);

        // Each write replaced the one before it.
        Assert.Equal(3, changed);

        Assert.Equal(last, await ReadOne(store, Stats, Key(1)));
    }

    [Fact]
    public async Task After_concurrent_writers_of_two_schemas_one_rewrite_under_the_new_schema_restores_every_key()
    {
        var store = await Create();
        // A deploy: writers on the old definitions and on the new ones run at once, with times in any order.
        var writers = Enumerable.Range(0, 8).Select(w => Enumerable.Range(0, 40)
            .Select(i => new OnlineWrite(Stats, Key(i % 10), w % 2 == 0
                ? Record(T0 + ((w * 7 + i * 13) % 11), (w * 40) + i, (w * 100) + i, $"old w{w}-{i}")
                : WiderRecord(T0 + ((w * 7 + i * 13) % 11), (w * 40) + i, (w * 100) + i, $"new w{w}-{i}")))
            .ToArray()).ToArray();
        await Task.WhenAll(writers.Select(writes => Task.Run(async () =>
        {
            foreach (var chunk in writes.Chunk(4))
            {
                await store.WriteAsync(chunk);
            }
        })));
        var keys = Enumerable.Range(0, 10).Select(i => new OnlineKey(Stats, Key(i))).ToArray();

        // The last old writer to finish writes a record newer than anything the rewrite below carries.
        await store.WriteAsync([new OnlineWrite(Stats, Key(0), Record(T0 + 50, T0 + 50, -1, "old, last"))]);

        // Whoever won, each key holds one whole record that was written, never a mix.
        var written = writers.SelectMany(w => w).Select(w => Convert.ToHexString(w.Record)).ToHashSet();
        var before = await Read(store, keys);
        Assert.All(before.Skip(1), record => Assert.Contains(Convert.ToHexString(record!), written));

        // The old writers have stopped; a re-materialization of older rows under the new schema reaches every key that
        // an old writer held, and leaves the later records of new writers alone.
        var rewrite = keys.Select((k, i) => new OnlineWrite(Stats, k.Entity, WiderRecord(T0 - 100, T0 - 100, i, $"rewrite {i}"))).ToArray();
        await store.WriteAsync(rewrite);
        store = await Reopen(store);

        var after = await Read(store, keys);
        for (var i = 0; i < keys.Length; i++)
        {
            var heldByOldWriter = OnlineRecord.Fingerprint(before[i]!) == Schema.Fingerprint;
            Assert.Equal(heldByOldWriter ? rewrite[i].Record : before[i], after[i]);
        }
    }

    [Property(MaxTest = 50)]
    public Property Random_batches_leave_exactly_the_last_write_wins_record_per_key() =>
        Prop.ForAll(Batches.ToArbitrary(), batches => Run(() => CheckAgainstReference(batches)));

    [Property(MaxTest = 50)]
    public Property Within_one_batch_the_winner_among_writes_of_one_schema_does_not_depend_on_their_order() =>
        Prop.ForAll(SameKeyWrites.ToArbitrary(), writes => Run(() => CheckBatchOrder(writes)));

    [Fact]
    public async Task Concurrent_writers_leave_the_greatest_record_per_key()
    {
        var store = await Create();
        // Every (event, created) pair is unique per key, so the winner is defined whatever the interleaving.
        var writers = Enumerable.Range(0, 8).Select(w => Enumerable.Range(0, 40)
            .Select(i => new OnlineWrite(i % 2 == 0 ? Stats : Trips, Key(i % 5), Record(T0 + ((w * 7 + i * 13) % 11), (w * 40) + i, (w * 100) + i, $"w{w}-{i}")))
            .ToArray()).ToArray();

        await Task.WhenAll(writers.Select(writes => Task.Run(async () =>
        {
            foreach (var chunk in writes.Chunk(4))
            {
                await store.WriteAsync(chunk);
            }
        })));
        store = await Reopen(store);

        var expected = writers.SelectMany(w => w)
            .GroupBy(w => new OnlineKey(w.View, w.Entity))
            .ToDictionary(g => g.Key, g => g.MaxBy(w => (OnlineRecord.EventMicros(w.Record), OnlineRecord.CreatedMicros(w.Record))).Record);
        var keys = expected.Keys.ToArray();
        Assert.Equal(keys.Select(k => expected[k]), await Read(store, keys));
    }

    [Fact]
    public async Task Watermark_is_null_until_set()
    {
        var store = await Create();

        Assert.Null(await store.GetWatermarkAsync(Stats));
        store = await Reopen(store);
        Assert.Null(await store.GetWatermarkAsync(Stats));
    }

    [Fact]
    public async Task Watermark_reads_back_what_was_last_set()
    {
        var store = await Create();
        var first = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_560);
        var second = first.AddHours(1).AddTicks(10);

        await store.SetWatermarkAsync(Stats, first);
        Assert.Equal(first, await store.GetWatermarkAsync(Stats));
        await store.SetWatermarkAsync(Stats, second);
        Assert.Equal(second, await store.GetWatermarkAsync(Stats));
        store = await Reopen(store);

        Assert.Equal(second, await store.GetWatermarkAsync(Stats));
    }

    [Fact]
    public async Task Watermarks_are_independent_per_view()
    {
        var store = await Create();
        var stats = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var trips = stats.AddDays(-3);

        await store.SetWatermarkAsync(Stats, stats);
        await store.SetWatermarkAsync(Trips, trips);
        store = await Reopen(store);

        Assert.Equal(stats, await store.GetWatermarkAsync(Stats));
        Assert.Equal(trips, await store.GetWatermarkAsync(Trips));
        Assert.Null(await store.GetWatermarkAsync("v3"));
    }

    [Fact]
    public async Task Watermarks_do_not_touch_records()
    {
        var store = await Create();
        var record = Record(T0, T0, 1, "x");
        await store.WriteAsync([new OnlineWrite(Stats, Key(1), record)]);

        await store.SetWatermarkAsync(Stats, DateTimeOffset.UnixEpoch.AddYears(60));

        Assert.Equal(record, await ReadOne(store, Stats, Key(1)));
        Assert.Equal(0, await store.WriteAsync([new OnlineWrite(Stats, Key(1), record)]));
    }

    [Fact]
    public async Task Data_and_last_write_wins_state_survive_a_reopen()
    {
        var store = await Create();
        var kept = Record(T0 + 5, T0, 1, "kept");
        var replaced = Record(T0, T0, 2, "replaced");
        await store.WriteAsync([new OnlineWrite(Stats, Key(1), kept), new OnlineWrite(Trips, Key(1), replaced)]);
        await store.SetWatermarkAsync(Stats, new DateTimeOffset(2025, 3, 2, 0, 0, 0, TimeSpan.Zero));

        store = await Reopen(store);
        var replacement = Record(T0 + 1, T0, 3, "replacement");
        Assert.Equal(1, await store.WriteAsync([new OnlineWrite(Stats, Key(1), Record(T0 + 4, T0, 9, "stale")), new OnlineWrite(Trips, Key(1), replacement)]));
        store = await Reopen(store);

        Assert.Equal([kept, replacement], await Read(store, [new(Stats, Key(1)), new(Trips, Key(1))]));
        Assert.Equal(new DateTimeOffset(2025, 3, 2, 0, 0, 0, TimeSpan.Zero), await store.GetWatermarkAsync(Stats));
    }

    [Fact]
    public async Task Initializing_again_keeps_the_data()
    {
        var store = await Create();
        var record = Record(T0, T0, 1, "x");
        await store.WriteAsync([new OnlineWrite(Stats, Key(1), record)]);
        await store.SetWatermarkAsync(Stats, DateTimeOffset.UnixEpoch);

        await store.InitializeAsync();
        await store.InitializeAsync();

        Assert.Equal(record, await ReadOne(store, Stats, Key(1)));
        Assert.Equal(DateTimeOffset.UnixEpoch, await store.GetWatermarkAsync(Stats));
    }

    [Fact]
    public async Task Stores_do_not_see_each_others_data()
    {
        var first = await Create();
        var second = await Create();
        var record = Record(T0, T0, 1, "first only");

        await first.WriteAsync([new OnlineWrite(Stats, Key(1), record)]);
        await first.SetWatermarkAsync(Stats, DateTimeOffset.UnixEpoch);

        Assert.Null(await ReadOne(second, Stats, Key(1)));
        Assert.Null(await second.GetWatermarkAsync(Stats));

        // The second store's own older write creates its value; it is not judged against the first store's record.
        Assert.Equal(1, await second.WriteAsync([new OnlineWrite(Stats, Key(1), Record(T0 - 1, T0, 2, "second only"))]));
        Assert.Equal(Record(T0 - 1, T0, 2, "second only"), await ReadOne(second, Stats, Key(1)));
        Assert.Equal(record, await ReadOne(first, Stats, Key(1)));
    }

    [Fact]
    public async Task Store_has_a_configuration_name()
    {
        var store = await Create();

        Assert.False(string.IsNullOrWhiteSpace(store.Name));
    }

    private async Task<bool> CheckAgainstReference((int View, int Entity, int Schema, long Event, long Created)[][] batches)
    {
        var store = await CreateStoreAsync();
        try
        {
            var reference = new NaiveReference();
            var serial = 0;
            for (var b = 0; b < batches.Length; b++)
            {
                var batch = new OnlineWrite[batches[b].Length];
                for (var i = 0; i < batch.Length; i++, serial++)
                {
                    var w = batches[b][i];
                    batch[i] = new OnlineWrite(Views[w.View], Key(w.Entity), w.Schema == 0
                        ? Record(w.Event, w.Created, serial, $"write {serial}")
                        : WiderRecord(w.Event, w.Created, serial, $"write {serial}"));
                }

                var before = reference.Snapshot();
                var sequentialChanges = reference.Apply(batch);
                var keysChanged = reference.Snapshot().Count(kv => !before.TryGetValue(kv.Key, out var old) || old != kv.Value);

                var changed = await store.WriteAsync(batch);

                // Every write that replaced the value before it counts, in list order, even for a key written twice.
                Assert.Equal(sequentialChanges, changed);
                Assert.True(changed >= keysChanged);
                if (b == batches.Length / 2)
                {
                    // Replaying leaves every record as it is. Only a key written under two schemas in the batch is
                    // rewritten on the way (each schema switch replaces), so only then does the replay count changes.
                    var replayChanges = reference.Apply(batch);
                    Assert.Equal(replayChanges, await store.WriteAsync(batch));
                    store = await ReopenAsync(store);
                }
            }

            var keys = Views.SelectMany(v => Enumerable.Range(0, 4).Select(e => new OnlineKey(v, Key(e)))).ToArray();
            var records = await Read(store, keys);
            for (var i = 0; i < keys.Length; i++)
            {
                Assert.Equal(reference.Get(keys[i]), records[i]);
            }

            return true;
        }
        finally
        {
            await store.DisposeAsync();
        }
    }

    private async Task<bool> CheckBatchOrder((long Event, long Created)[] times)
    {
        var store = await CreateStoreAsync();
        try
        {
            var writes = times.Select((t, i) => new OnlineWrite(Stats, Key(0), Record(t.Event, t.Created, i, $"write {i}"))).ToArray();
            var reference = new NaiveReference();
            reference.Apply(writes);

            // Any batch order gives a record with the greatest (event, created); on a full tie, the first in the batch.
            Assert.True(await store.WriteAsync(writes) >= 1);
            var stored = await ReadOne(store, Stats, Key(0));
            Assert.Equal(reference.Get(new OnlineKey(Stats, Key(0))), stored);

            // The same writes reversed, into another view of the same store.
            var reversed = Enumerable.Reverse(writes).Select(w => w with { View = Trips }).ToArray();
            var reversedReference = new NaiveReference();
            reversedReference.Apply(reversed);
            await store.WriteAsync(reversed);
            var stored2 = await ReadOne(store, Trips, Key(0));
            Assert.Equal(reversedReference.Get(new OnlineKey(Trips, Key(0))), stored2);
            Assert.Equal(OnlineRecord.EventMicros(stored!), OnlineRecord.EventMicros(stored2!));
            Assert.Equal(OnlineRecord.CreatedMicros(stored!), OnlineRecord.CreatedMicros(stored2!));
            return true;
        }
        finally
        {
            await store.DisposeAsync();
        }
    }

    /// <summary>Runs a property case off the test's synchronization context and waits for it.</summary>
    private static bool Run(Func<Task<bool>> check) => Task.Run(check).GetAwaiter().GetResult();

    private static async Task<byte[]?[]> Read(IOnlineStore store, IReadOnlyList<OnlineKey> keys)
    {
        var records = new byte[]?[keys.Count];
        await store.ReadAsync(keys, records);
        return records;
    }

    private static async Task<byte[]?> ReadOne(IOnlineStore store, string view, EntityKey key) =>
        (await Read(store, [new OnlineKey(view, key)]))[0];

    private static EntityKey Key(long id) => EntityKey.Create(FeatureValue.Int64(id));

    private static byte[] Record(long eventMicros, long createdMicros, long a, string b) =>
        OnlineRecord.Encode(Schema, eventMicros, createdMicros, [FeatureValue.Int64(a), FeatureValue.String(b)]);

    private static byte[] WiderRecord(long eventMicros, long createdMicros, long a, string b) =>
        OnlineRecord.Encode(Wider, eventMicros, createdMicros, [FeatureValue.Int64(a), FeatureValue.String(b), FeatureValue.Float64(a / 2.0)]);

    /// <summary>
    /// The deliberately naive model, applied write by write: a record replaces the stored one of its key when there is
    /// none, when the stored one has another schema fingerprint, or when it has a greater (event, created); so within
    /// one schema, the greatest wins and the first on ties.
    /// </summary>
    private sealed class NaiveReference
    {
        private readonly Dictionary<OnlineKey, (ulong Fingerprint, long Event, long Created, byte[] Record)> _records = [];

        public int Apply(IEnumerable<OnlineWrite> writes)
        {
            var changed = 0;
            foreach (var write in writes)
            {
                var key = new OnlineKey(write.View, write.Entity);
                var fingerprint = OnlineRecord.Fingerprint(write.Record);
                var candidate = (OnlineRecord.EventMicros(write.Record), OnlineRecord.CreatedMicros(write.Record));
                if (!_records.TryGetValue(key, out var existing)
                    || existing.Fingerprint != fingerprint
                    || candidate.CompareTo((existing.Event, existing.Created)) > 0)
                {
                    _records[key] = (fingerprint, candidate.Item1, candidate.Item2, write.Record);
                    changed++;
                }
            }

            return changed;
        }

        public byte[]? Get(OnlineKey key) => _records.TryGetValue(key, out var entry) ? entry.Record : null;

        public Dictionary<OnlineKey, byte[]> Snapshot() => _records.ToDictionary(kv => kv.Key, kv => kv.Value.Record);
    }
}

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Values;
using Granary.Online;
using Granary.Online.Embedded;
using Microsoft.Data.Sqlite;

namespace Granary.Tests.Online.Embedded;

/// <summary>
/// The embedded store's background writer: many callers' batches merged into one transaction per group, checked
/// against a naive reference that applies the same batches one by one in the order the writer took them; back-pressure,
/// cancellation, a failing commit, disposal, and durability of what concurrent callers had acknowledged.
/// </summary>
public sealed class EmbeddedWriterTests : IDisposable
{
    private const string View = "v";
    private const string PlugView = "plug";
    private static readonly RecordSchema Schema = new([new Field("a", FeatureType.Int64)]);
    private static readonly RecordSchema Wider = new([new Field("a", FeatureType.Int64), new Field("b", FeatureType.Bool)]);
    private static readonly string[] Views = [View, "w"];
    private static readonly TimeSpan Never = TimeSpan.FromHours(1);

    /// <summary>One write: view, entity, schema (mostly the first), event and created time from small sets, so they collide.</summary>
    private static readonly Gen<(int View, int Entity, int Schema, long Event, long Created)> Writes =
        Gen.Zip(
            Gen.Zip(Gen.Choose(0, 1), Gen.Choose(0, 3)),
            Gen.Zip(Gen.Choose(0, 4).Select(n => n == 4 ? 1 : 0), Gen.Zip(Gen.Choose(0, 3), Gen.Choose(0, 2))),
            (key, rest) => (key.Item1, key.Item2, rest.Item1, (long)rest.Item2.Item1, (long)rest.Item2.Item2));

    /// <summary>
    /// Callers' batches (2 to 12 callers, 1 to 6 writes each), the queue's capacity in rows (small ones split the
    /// callers over several groups), whether the writer is held until every caller has queued (one or few large
    /// groups) or left free (groups as they happen), and which group's commit fails (none when past the last).
    /// </summary>
    private static readonly Gen<((int View, int Entity, int Schema, long Event, long Created)[][] Batches, int Capacity, bool Held, int FailingGroup)> Scenarios =
        Gen.Zip(
            Gen.Choose(2, 12).SelectMany(n => Gen.ArrayOf(Gen.Choose(1, 6).SelectMany(m => Gen.ArrayOf(Writes, m)), n)),
            Gen.Zip(Gen.Elements(1, 4, 10, 1_000), Gen.Zip(Gen.Elements(true, true, false), Gen.Choose(0, 6))),
            (batches, rest) => (batches, rest.Item1, rest.Item2.Item1, rest.Item2.Item2));

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "granary-embedded-writer", Guid.NewGuid().ToString("N"));
    private readonly List<EmbeddedOnlineStore> _stores = [];
    private readonly List<SemaphoreSlim> _plugs = [];
    private int _files;

    [Property(MaxTest = 60)]
    public Property Concurrent_callers_get_the_state_and_counts_of_their_batches_applied_one_by_one_in_the_order_taken() =>
        Prop.ForAll(Scenarios.ToArbitrary(), scenario => Task.Run(() => CheckAgainstReference(scenario)).GetAwaiter().GetResult());

    [Fact]
    public async Task A_write_returns_at_once_and_completes_after_the_commit()
    {
        var (store, plug) = await OpenPlugged();
        var write = store.WriteAsync([Write(1, 100, 1)]);

        Assert.False(write.IsCompleted);
        Assert.Null(await ReadOne(store, View, 1));
        plug.Release();
        Assert.Equal(1, await write);
        Assert.Equal(Record(Schema, 100, 0, 1), await ReadOne(store, View, 1));
    }

    [Fact]
    public async Task A_full_queue_makes_callers_wait_in_arrival_order_until_the_writer_takes_it()
    {
        var (store, plug) = await OpenPlugged(capacity: 10);
        var first = store.WriteAsync(Enumerable.Range(0, 6).Select(i => Write(i, 100, i)).ToArray());
        var second = store.WriteAsync(Enumerable.Range(0, 6).Select(i => Write(i, 200, -i)).ToArray());
        var third = store.WriteAsync([Write(100, 100, 1)]);

        // The second does not fit beside the first; the third would, but does not overtake it.
        Assert.Equal((1, 2), store.QueuedCalls);
        plug.Release();

        Assert.Equal(6, await first);
        Assert.Equal(6, await second);
        Assert.Equal(1, await third);
        Assert.Equal((0, 0), store.QueuedCalls);
        Assert.Equal(Record(Schema, 200, 0, -5), await ReadOne(store, View, 5));
    }

    [Fact]
    public async Task A_batch_larger_than_the_queue_is_written_alone()
    {
        var store = await Open(capacity: 3);

        Assert.Equal(10, await store.WriteAsync(Enumerable.Range(0, 10).Select(i => Write(i, 100, i)).ToArray()));
        Assert.Equal(10, (await Open(path: store.FilePath)).Count);
    }

    [Fact]
    public async Task Cancelling_before_the_writer_takes_a_batch_removes_it_and_after_does_not()
    {
        var (store, plug) = await OpenPlugged(capacity: 2);
        using var queuedToken = new CancellationTokenSource();
        using var waitingToken = new CancellationTokenSource();
        var queued = store.WriteAsync([Write(1, 100, 1)], queuedToken.Token);
        var kept = store.WriteAsync([Write(2, 100, 2)]);
        var waiting = store.WriteAsync([Write(3, 100, 3)], waitingToken.Token);
        Assert.Equal((2, 1), store.QueuedCalls);

        await queuedToken.CancelAsync();
        await waitingToken.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal((1, 0), store.QueuedCalls);

        // Once taken, a cancellation changes nothing: the batch is written and acknowledged.
        using var takenToken = new CancellationTokenSource();
        var taken = store.WriteAsync([Write(4, 100, 4)], takenToken.Token);
        store.BeforeGroupCommit = batches =>
        {
            if (batches.Any(b => b.Any(w => w.Entity.Equals(Key(4)))))
            {
                takenToken.Cancel();
            }
        };
        plug.Release();

        Assert.Equal(1, await kept);
        Assert.Equal(1, await taken);
        Assert.True(takenToken.IsCancellationRequested);
        var reopened = await Open(path: store.FilePath);
        Assert.Null(await ReadOne(reopened, View, 1));
        Assert.NotNull(await ReadOne(reopened, View, 2));
        Assert.Null(await ReadOne(reopened, View, 3));
        Assert.NotNull(await ReadOne(reopened, View, 4));
    }

    [Fact]
    public async Task Disposing_writes_every_batch_queued_or_waiting_then_refuses_new_ones()
    {
        var (store, plug) = await OpenPlugged(capacity: 2);
        var writes = Enumerable.Range(0, 5).Select(i => store.WriteAsync([Write(i, 100, i), Write(i + 100, 100, i)])).ToArray();

        var disposing = store.DisposeAsync().AsTask();
        Assert.Throws<ObjectDisposedException>(() => { _ = store.WriteAsync([Write(50, 100, 1)]); });
        Assert.False(disposing.IsCompleted);
        plug.Release();
        await disposing;

        Assert.All(writes, w => Assert.Equal(2, w.Result));
        var reopened = await Open(path: store.FilePath);
        Assert.Equal(10, reopened.Count - 1);
        Assert.Null(await ReadOne(reopened, View, 50));
    }

    [Fact]
    public async Task Writes_acknowledged_to_concurrent_callers_survive_an_instance_abandoned_without_closing()
    {
        var path = Path.Combine(_folder, "crash", "online.db");
        var crashed = new EmbeddedOnlineStore(path, Never);
        await crashed.InitializeAsync();
        var groups = 0;
        crashed.BeforeGroupCommit = _ => Interlocked.Increment(ref groups);
        const int Callers = 32;
        const int PerCaller = 25;
        var acknowledged = new byte[]?[Callers * PerCaller];
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(c => Task.Run(async () =>
        {
            for (var i = 0; i < PerCaller; i++)
            {
                var id = (c * PerCaller) + i;
                var record = Record(Schema, 100 + i, 0, id);
                Assert.Equal(1, await crashed.WriteAsync([new OnlineWrite(View, Key(id), record)]));
                acknowledged[id] = record;
            }
        })));

        // Fewer commits than rows: single-row calls were grouped.
        Assert.True(groups < Callers * PerCaller, $"{groups} groups for {Callers * PerCaller} rows");

        // Not disposed: no checkpoint, the WAL holds the commits. A copy of the files as they are now, as a machine
        // that lost power would leave them, and the files themselves reopened by another instance.
        var copy = Path.Combine(_folder, "copy", "online.db");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Copy(path, copy);
        File.Copy(path + "-wal", copy + "-wal");
        foreach (var recovered in new[] { await Open(path: copy), await Open(path: path) })
        {
            var keys = Enumerable.Range(0, acknowledged.Length).Select(id => new OnlineKey(View, Key(id))).ToArray();
            var records = new byte[]?[keys.Length];
            await recovered.ReadAsync(keys, records);
            Assert.Equal(acknowledged, records);
        }

        GC.KeepAlive(crashed);
    }

    public void Dispose()
    {
        // A test that failed while its writer was held must not leave disposal waiting for it.
        foreach (var plug in _plugs)
        {
            plug.Release(1_000);
        }

        foreach (var store in _stores)
        {
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private async Task<bool> CheckAgainstReference(((int View, int Entity, int Schema, long Event, long Created)[][] Batches, int Capacity, bool Held, int FailingGroup) scenario)
    {
        var (store, plug) = await OpenPlugged(scenario.Capacity);
        var taken = new List<IReadOnlyList<OnlineWrite>[]>();
        var failed = new HashSet<int>();
        store.BeforeGroupCommit = batches =>
        {
            if (batches.Any(b => b.Any(w => w.View == PlugView)))
            {
                return;
            }

            taken.Add([.. batches]);
            if (taken.Count - 1 == scenario.FailingGroup)
            {
                failed.Add(taken.Count - 1);
                throw new SqliteException("injected I/O error", 10);
            }
        };

        var serial = 0;
        var batches = scenario.Batches.Select(batch => batch.Select(w => new OnlineWrite(
            Views[w.View], Key(w.Entity), Record(w.Schema == 0 ? Schema : Wider, w.Event, w.Created, serial++))).ToArray()).ToArray();
        if (!scenario.Held)
        {
            plug.Release();
        }

        var calls = batches.Select(batch => Task.Run(() => store.WriteAsync(batch))).ToArray();
        if (scenario.Held)
        {
            while (store.QueuedCalls is var (queued, waiting) && queued + waiting < batches.Length)
            {
                await Task.Delay(1);
            }

            plug.Release();
        }

        await Task.WhenAll(calls.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default)));

        // The reference: the groups in the order taken, each batch one by one, a failed group not at all.
        var reference = new Dictionary<(string, EntityKey), byte[]>();
        var byBatch = batches.Select((b, i) => (b, i)).ToDictionary(x => (object)x.b, x => x.i, ReferenceEqualityComparer.Instance);
        var seen = 0;
        for (var g = 0; g < taken.Count; g++)
        {
            foreach (var batch in taken[g])
            {
                var call = calls[byBatch[batch]];
                seen++;
                if (failed.Contains(g))
                {
                    var error = await Assert.ThrowsAsync<GranaryException>(() => call);
                    Assert.Equal(ErrorCodes.OnlineStoreUnavailable, error.Code);
                    continue;
                }

                var won = 0;
                foreach (var write in batch)
                {
                    var key = (write.View, write.Entity);
                    if (!reference.TryGetValue(key, out var current) || OnlineRecord.Replaces(write.Record, current))
                    {
                        reference[key] = write.Record;
                        won++;
                    }
                }

                Assert.Equal(won, await call);
            }
        }

        Assert.Equal(batches.Length, seen);
        var keys = Views.SelectMany(v => Enumerable.Range(0, 4).Select(e => new OnlineKey(v, Key(e)))).ToArray();
        var expected = keys.Select(k => reference.GetValueOrDefault((k.View, k.Entity))).ToArray();
        foreach (var reader in new[] { store, await Open(path: store.FilePath) })
        {
            var records = new byte[]?[keys.Length];
            await reader.ReadAsync(keys, records);
            Assert.Equal(expected, records);
        }

        return true;
    }

    /// <summary>A store whose writer is held inside its first group (a plug write) until the semaphore is released.</summary>
    private async Task<(EmbeddedOnlineStore Store, SemaphoreSlim Plug)> OpenPlugged(int capacity = EmbeddedOnlineStore.DefaultWriteQueueRows)
    {
        var store = await Open(capacity);
        var plug = new SemaphoreSlim(0);
        _plugs.Add(plug);
        var inside = new TaskCompletionSource();
        store.BeforeGroupCommit = batches =>
        {
            if (batches.Any(b => b.Any(w => w.View == PlugView)))
            {
                inside.TrySetResult();
                plug.Wait();
            }
        };
        _ = store.WriteAsync([new OnlineWrite(PlugView, Key(0), Record(Schema, 1, 0, 0))]);
        await inside.Task;
        return (store, plug);
    }

    private async Task<EmbeddedOnlineStore> Open(int capacity = EmbeddedOnlineStore.DefaultWriteQueueRows, string? path = null)
    {
        path ??= Path.Combine(_folder, Interlocked.Increment(ref _files).ToString(System.Globalization.CultureInfo.InvariantCulture), "online.db");
        var store = new EmbeddedOnlineStore(path, Never, writeQueueRows: capacity);
        _stores.Add(store);
        await store.InitializeAsync();
        return store;
    }

    private static async Task<byte[]?> ReadOne(EmbeddedOnlineStore store, string view, long entity)
    {
        var records = new byte[]?[1];
        await store.ReadAsync([new OnlineKey(view, Key(entity))], records);
        return records[0];
    }

    private static OnlineWrite Write(long entity, long eventMicros, long a) => new(View, Key(entity), Record(Schema, eventMicros, 0, a));

    private static EntityKey Key(long id) => EntityKey.Create(FeatureValue.Int64(id));

    private static byte[] Record(RecordSchema schema, long eventMicros, long createdMicros, long a) => schema.Count == 1
        ? OnlineRecord.Encode(schema, eventMicros, createdMicros, [FeatureValue.Int64(a)])
        : OnlineRecord.Encode(schema, eventMicros, createdMicros, [FeatureValue.Int64(a), FeatureValue.Bool(true)]);
}

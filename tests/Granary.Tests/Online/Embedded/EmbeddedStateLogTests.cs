using System.Buffers.Binary;
using System.Collections.Concurrent;
using Granary.Core.Model;
using Granary.Core.Values;
using Granary.Online;
using Granary.Online.Embedded;
using Microsoft.Data.Sqlite;

namespace Granary.Tests.Online.Embedded;

/// <summary>
/// What only the embedded store promises for aggregate states, which live in memory and in its append-only log:
/// compare-and-set stays exact across instances (as processes) on one file, acknowledged states survive an instance that
/// dies without closing, compaction keeps every live state, and a file whose states were in the old table keeps them.
/// </summary>
public sealed class EmbeddedStateLogTests : IDisposable
{
    private const string View = "clicks_1h";
    private static readonly TimeSpan Never = TimeSpan.FromHours(1);

    private readonly EmbeddedFileStores _files = new("granary-embedded-state-log-tests");

    private string DbPath => _files.DbPath;

    [Fact]
    public async Task Two_stores_on_one_file_doing_compare_and_set_on_the_same_keys_never_both_win_a_version()
    {
        // Each store reads its own memory, which may lag the other's writes: only the writer's check decides.
        var stores = new[] { await Open(TimeSpan.Zero), await Open(TimeSpan.FromMilliseconds(20)) };
        var won = new ConcurrentBag<(long Key, long Version)>();
        var attempts = stores.SelectMany((store, s) => Enumerable.Range(0, 2).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 60; i++)
            {
                var id = i % 3;
                var current = await ReadState(store, Key(id));
                var applied = new bool[1];
                await store.CompareAndSetStatesAsync([new AggregateStateWrite(View, Key(id), current.Version, State(s, worker, i))], applied);
                if (applied[0])
                {
                    won.Add((id, current.Version + 1));
                }
            }
        }))).ToArray();
        await Task.WhenAll(attempts);

        foreach (var id in Enumerable.Range(0, 3))
        {
            var versions = won.Where(w => w.Key == id).Select(w => w.Version).Order().ToArray();
            // Every applied write moved the key on by one from what its writer read: no version was won twice, none skipped.
            Assert.Equal(Enumerable.Range(1, versions.Length).Select(v => (long)v), versions);
            Assert.Equal(versions.Length, (await ReadState(await Open(Never), Key(id))).Version);
        }
    }

    [Fact]
    public async Task An_acknowledged_state_survives_a_store_abandoned_without_closing()
    {
        var crashed = new EmbeddedOnlineStore(DbPath, Never);
        await crashed.InitializeAsync();
        var writes = Enumerable.Range(0, 100).Select(id => new AggregateStateWrite(View, Key(id), 0, State(0, 0, id))).ToArray();
        Assert.Equal(100, await crashed.CompareAndSetStatesAsync(writes, new bool[writes.Length]));
        var second = new AggregateStateWrite(View, Key(7), 1, State(1, 1, 7));
        Assert.Equal(1, await crashed.CompareAndSetStatesAsync([second], new bool[1]));

        // Nothing disposed: the files as they are on disk now, copied elsewhere, as a machine that lost power leaves them.
        var copy = Path.Combine(_files.Folder, "copy", "online.db");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Copy(DbPath, copy);
        File.Copy(DbPath + "-wal", copy + "-wal");

        foreach (var recovered in new[] { await Open(Never, copy), await Open(Never, DbPath) })
        {
            Assert.Equal(100, recovered.StateCount);
            Assert.Equal(new AggregateStateEntry(State(0, 0, 3), 1), await ReadState(recovered, Key(3)), StateComparer.Instance);
            Assert.Equal(new AggregateStateEntry(State(1, 1, 7), 2), await ReadState(recovered, Key(7)), StateComparer.Instance);
        }

        GC.KeepAlive(crashed);
    }

    [Fact]
    public async Task Compaction_keeps_the_latest_state_of_every_key_and_the_records_beside_them()
    {
        const int Keys = 1_000;
        var store = await Open(Never);
        var record = OnlineRecord.Encode(new RecordSchema([new Field("a", FeatureType.Int64)]), 100, 0, [FeatureValue.Int64(1)]);
        Assert.Equal(1, await store.WriteAsync([new OnlineWrite(View, Key(1), record)]));
        var rounds = (int)(EmbeddedOnlineStore.CompactionMinRows / Keys) + 10;
        for (var round = 0; round < rounds; round++)
        {
            var writes = Enumerable.Range(0, Keys).Select(id => new AggregateStateWrite(View, Key(id), round, State(round, 0, id))).ToArray();
            Assert.Equal(Keys, await store.CompareAndSetStatesAsync(writes, new bool[Keys]));
        }

        Assert.True(LogRows() <= 2 * EmbeddedOnlineStore.CompactionMinRows / 10, $"{LogRows()} rows left");
        foreach (var reader in new[] { store, await Open(Never) })
        {
            Assert.Equal(Keys, reader.StateCount);
            Assert.Equal(1, reader.Count);
            Assert.Equal(record, await ReadRecord(reader, Key(1)));
            foreach (var id in new[] { 0, 1, Keys - 1 })
            {
                Assert.Equal(new AggregateStateEntry(State(rounds - 1, 0, id), rounds), await ReadState(reader, Key(id)), StateComparer.Instance);
            }
        }
    }

    [Fact]
    public async Task States_of_a_file_that_kept_them_in_the_stream_state_table_are_kept_with_their_versions()
    {
        await (await Open(Never)).DisposeAsync();
        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO stream_state(view, entity, version, state) VALUES ($view, $entity, 5, $state)";
            command.Parameters.AddWithValue("$view", View);
            command.Parameters.AddWithValue("$entity", Key(1).Bytes.ToArray());
            command.Parameters.AddWithValue("$state", State(9, 9, 1));
            command.ExecuteNonQuery();
        }

        var store = await Open(Never);
        Assert.Equal(new AggregateStateEntry(State(9, 9, 1), 5), await ReadState(store, Key(1)), StateComparer.Instance);
        var applied = new bool[1];
        Assert.Equal(1, await store.CompareAndSetStatesAsync([new AggregateStateWrite(View, Key(1), 5, State(1, 1, 1))], applied));
        Assert.True(applied[0]);

        // Converted once: a reopen reads the log, not the old rows again.
        Assert.Equal(new AggregateStateEntry(State(1, 1, 1), 6), await ReadState(await Open(Never), Key(1)), StateComparer.Instance);
        Assert.Equal(0, Scalar("SELECT count(*) FROM stream_state"));
    }

    public void Dispose() => _files.Dispose();

    private Task<EmbeddedOnlineStore> Open(TimeSpan refreshInterval, string? path = null) => _files.Open(refreshInterval, path);

    private long LogRows() => Scalar("SELECT count(*) FROM log");

    private long Scalar(string sql) => _files.Scalar(sql);

    private static async Task<AggregateStateEntry> ReadState(EmbeddedOnlineStore store, EntityKey key)
    {
        var states = new AggregateStateEntry[1];
        await store.ReadStatesAsync([new OnlineKey(View, key)], states);
        return states[0];
    }

    private static async Task<byte[]?> ReadRecord(EmbeddedOnlineStore store, EntityKey key)
    {
        var records = new byte[]?[1];
        await store.ReadAsync([new OnlineKey(View, key)], records);
        return records[0];
    }

    private static EntityKey Key(long id) => EntityKey.Create(FeatureValue.Int64(id));

    // Distinct bytes per (store, worker, step), so a state read back shows which write it came from.
    private static byte[] State(int store, int worker, long step)
    {
        var state = new byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(state, store);
        BinaryPrimitives.WriteInt32LittleEndian(state.AsSpan(4), worker);
        BinaryPrimitives.WriteInt64LittleEndian(state.AsSpan(8), step);
        return state;
    }

    /// <summary>States compared by their bytes and versions (the record struct compares arrays by reference).</summary>
    private sealed class StateComparer : IEqualityComparer<AggregateStateEntry>
    {
        public static readonly StateComparer Instance = new();

        public bool Equals(AggregateStateEntry x, AggregateStateEntry y) =>
            x.Version == y.Version && x.State.AsSpan().SequenceEqual(y.State);

        public int GetHashCode(AggregateStateEntry obj) => obj.Version.GetHashCode();
    }
}

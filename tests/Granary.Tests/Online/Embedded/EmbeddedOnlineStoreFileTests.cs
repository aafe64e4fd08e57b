using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Online;
using Granary.Online.Embedded;
using Granary.Core.Values;

namespace Granary.Tests.Online.Embedded;

/// <summary>
/// What only the embedded store promises: several instances (as several processes would) over one file stay
/// consistent, and acknowledged writes survive an instance that dies without closing anything.
/// </summary>
public sealed class EmbeddedOnlineStoreFileTests : IDisposable
{
    private const string View = "driver_stats";
    private static readonly RecordSchema Schema = new([new Field("a", FeatureType.Int64)]);
    private static readonly TimeSpan Never = TimeSpan.FromHours(1);

    private readonly EmbeddedFileStores _files = new("granary-embedded-tests");

    private string DbPath => _files.DbPath;

    [Fact]
    public async Task Second_instance_sees_writes_of_the_first_after_its_refresh_interval()
    {
        var writer = await Open(Never);
        var reader = await Open(TimeSpan.FromMilliseconds(50));
        var record = Record(100, 1);

        await writer.WriteAsync([new OnlineWrite(View, Key(1), record)]);

        Assert.Equal(record, await EventuallyRead(reader, Key(1), record));
    }

    [Fact]
    public async Task Instance_does_not_look_at_the_file_before_its_interval_is_up()
    {
        var writer = await Open(Never);
        var reader = await Open(Never);
        await ReadOne(reader, Key(1));

        await writer.WriteAsync([new OnlineWrite(View, Key(1), Record(100, 1))]);

        // Reads are served from memory; the hour-long interval has not passed, so the other write is not there yet.
        Assert.Null(await ReadOne(reader, Key(1)));
    }

    [Fact]
    public async Task Last_write_wins_holds_across_instances_that_have_not_refreshed()
    {
        var first = await Open(Never);
        var second = await Open(Never);
        var newer = Record(200, 1);
        await first.WriteAsync([new OnlineWrite(View, Key(1), newer)]);

        // The second instance has not seen the newer record; its older write must still lose.
        Assert.Equal(0, await second.WriteAsync([new OnlineWrite(View, Key(1), Record(100, 5))]));
        Assert.Equal(newer, await ReadOne(second, Key(1)));

        var newest = Record(300, 1);
        Assert.Equal(1, await second.WriteAsync([new OnlineWrite(View, Key(1), newest)]));
        Assert.Equal(0, await first.WriteAsync([new OnlineWrite(View, Key(1), Record(250, 1))]));
        Assert.Equal(newest, await ReadOne(first, Key(1)));

        var reopened = await Open(Never);
        Assert.Equal(newest, await ReadOne(reopened, Key(1)));
    }

    [Fact]
    public async Task An_instance_that_catches_up_takes_an_older_write_of_another_schema_as_it_was_written()
    {
        var writer = await Open(Never);
        var reader = await Open(TimeSpan.Zero);
        var before = Record(200, 1);
        await writer.WriteAsync([new OnlineWrite(View, Key(1), before)]);
        Assert.Equal(before, await ReadOne(reader, Key(1)));

        // The view gained a feature: the new record is older, yet it replaced the stored one, so catching up must too.
        var wider = OnlineRecord.Encode(new RecordSchema([.. Schema.Features, new Field("b", FeatureType.Bool)]), 100, 0, [FeatureValue.Int64(2), FeatureValue.Bool(true)]);
        Assert.Equal(1, await writer.WriteAsync([new OnlineWrite(View, Key(1), wider)]));

        Assert.Equal(wider, await ReadOne(reader, Key(1)));
        Assert.Equal(wider, await ReadOne(await Open(Never), Key(1)));
    }

    [Fact]
    public async Task Interleaved_writers_on_one_file_lose_no_rows()
    {
        var first = await Open(Never);
        var second = await Open(Never);
        var tasks = new[] { first, second }.Select((store, s) => Task.Run(async () =>
        {
            for (var batch = 0; batch < 20; batch++)
            {
                var writes = Enumerable.Range(0, 50).Select(i => new OnlineWrite(View, Key((s * 10_000) + (batch * 50) + i), Record(batch, s))).ToArray();
                await store.WriteAsync(writes);
            }
        }));
        await Task.WhenAll(tasks);

        // A write catches up with the other instance first; a fresh instance loads everything.
        await first.WriteAsync([new OnlineWrite(View, Key(-1), Record(0, 0))]);
        Assert.Equal(2_001, first.Count);
        Assert.Equal(2_001, (await Open(Never)).Count);
    }

    [Fact]
    public async Task Acknowledged_writes_survive_an_instance_abandoned_without_closing()
    {
        var path = DbPath;
        var crashed = new EmbeddedOnlineStore(path, Never);
        await crashed.InitializeAsync();
        var expected = new Dictionary<EntityKey, byte[]>();
        for (var batch = 0; batch < 5; batch++)
        {
            var writes = Enumerable.Range(0, 200).Select(i => new OnlineWrite(View, Key((batch * 200) + i), Record(batch, i))).ToArray();
            await crashed.WriteAsync(writes);
            foreach (var write in writes)
            {
                expected[write.Entity] = write.Record;
            }
        }

        await crashed.SetWatermarkAsync(View, DateTimeOffset.UnixEpoch.AddDays(1));

        // Nothing disposed: no checkpoint, the WAL still holds the commits, the connection stays open. First, the files
        // as they are on disk now, copied elsewhere, as a machine that lost power would leave them.
        var copy = Path.Combine(_files.Folder, "copy", "online.db");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Copy(path, copy);
        Assert.True(File.Exists(path + "-wal"));
        File.Copy(path + "-wal", copy + "-wal");

        foreach (var recovered in new[] { await Open(Never, copy), await Open(Never, path) })
        {
            Assert.Equal(expected.Count, recovered.Count);
            var keys = expected.Keys.Select(k => new OnlineKey(View, k)).ToArray();
            var records = new byte[]?[keys.Length];
            await recovered.ReadAsync(keys, records);
            Assert.Equal(expected.Values, records);
            Assert.Equal(DateTimeOffset.UnixEpoch.AddDays(1), await recovered.GetWatermarkAsync(View));
        }

        GC.KeepAlive(crashed);
    }

    [Fact]
    public async Task Replay_after_many_overwrites_gives_the_last_winner()
    {
        var writer = await Open(Never);
        var random = new Random(7);
        var expected = new Dictionary<EntityKey, byte[]>();
        for (var round = 0; round < 40; round++)
        {
            // Every key twice per batch, in random order: a newer and an older record (the older loses to the newer
            // and, from the second round on, to what the file already holds), plus a stale record that always loses.
            var writes = new List<OnlineWrite>();
            for (var id = 0; id < 100; id++)
            {
                var newer = Record((round * 10) + 5, (round * 1000) + id);
                writes.Add(new OnlineWrite(View, Key(id), newer));
                writes.Add(new OnlineWrite(View, Key(id), Record((round * 10) + 4, -1)));
                writes.Add(new OnlineWrite(View, Key(id), Record(0, -2)));
                expected[Key(id)] = newer;
            }

            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(writes));
            await writer.WriteAsync(writes);
        }

        var keys = expected.Keys.Select(k => new OnlineKey(View, k)).ToArray();
        var fresh = await Open(Never);
        foreach (var store in new[] { writer, fresh })
        {
            var records = new byte[]?[keys.Length];
            await store.ReadAsync(keys, records);
            Assert.Equal(expected.Values, records);
            Assert.Equal(100, store.Count);
        }

        // The latest row of every key in the log is its winner (replay's guard would hide it otherwise; compaction relies on it).
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DbPath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT entity, record FROM log WHERE seq IN (SELECT max(seq) FROM log GROUP BY view, entity)";
        using var reader = command.ExecuteReader();
        var latest = 0;
        while (reader.Read())
        {
            Assert.Equal(expected[EntityKey.FromBytes(reader.GetFieldValue<byte[]>(0))], reader.GetFieldValue<byte[]>(1));
            latest++;
        }

        Assert.Equal(expected.Count, latest);
    }

    [Fact]
    public async Task Compaction_shrinks_the_log_and_keeps_every_winner()
    {
        const int Keys = 1_000;
        var writer = await Open(Never);
        var watcher = await Open(TimeSpan.Zero);
        var expected = new Dictionary<EntityKey, byte[]>();
        var rounds = (int)(EmbeddedOnlineStore.CompactionMinRows / Keys) + 10;
        long largest = 0;
        for (var round = 0; round < rounds; round++)
        {
            var writes = Enumerable.Range(0, Keys).Select(id => new OnlineWrite(View, Key(id), Record(round + 1, (round * Keys) + id))).ToArray();
            Assert.Equal(Keys, await writer.WriteAsync(writes));
            foreach (var write in writes)
            {
                expected[write.Entity] = write.Record;
            }

            largest = Math.Max(largest, LogRows("SELECT count(*) FROM log"));
            if (round == rounds / 2)
            {
                // Another instance that has loaded superseded rows keeps its winners through the compaction.
                Assert.Equal(expected[Key(3)], await ReadOne(watcher, Key(3)));
            }
        }

        // Every round appended Keys rows; past the threshold (checked at the end of a batch) the superseded ones went,
        // so far fewer remain.
        Assert.True(largest >= EmbeddedOnlineStore.CompactionMinRows, $"the log peaked at {largest} rows");
        var rows = LogRows("SELECT count(*) FROM log");
        Assert.True(rows <= 2 * EmbeddedOnlineStore.CompactionMinRows / 10, $"{rows} rows left");
        Assert.Equal(Keys, LogRows("SELECT count(DISTINCT entity) FROM log"));

        var keys = expected.Keys.Select(k => new OnlineKey(View, k)).ToArray();
        foreach (var store in new[] { writer, watcher, await Open(Never) })
        {
            var records = new byte[]?[keys.Length];
            await store.ReadAsync(keys, records);
            Assert.Equal(expected.Values, records);
            Assert.Equal(Keys, store.Count);
        }

        // A write after the compaction still obeys last-write-wins against the compacted log, also after reopening.
        Assert.Equal(0, await writer.WriteAsync([new OnlineWrite(View, Key(1), Record(1, 0))]));
        Assert.Equal(expected[Key(1)], await ReadOne(await Open(Never), Key(1)));
    }

    [Fact]
    public async Task File_of_the_keyed_layout_is_migrated_to_the_log()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DbPath)!);
        var older = Record(100, 1);
        var newer = Record(200, 2);
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE records(view TEXT NOT NULL, entity BLOB NOT NULL, event INTEGER NOT NULL, created INTEGER NOT NULL,
                    seq INTEGER NOT NULL, record BLOB NOT NULL, PRIMARY KEY(view, entity)) WITHOUT ROWID;
                CREATE TABLE sequence(id INTEGER PRIMARY KEY CHECK (id = 0), value INTEGER NOT NULL);
                INSERT INTO sequence VALUES (0, 2);
                CREATE TABLE watermarks(view TEXT PRIMARY KEY, micros INTEGER NOT NULL);
                INSERT INTO records VALUES ($view, $k1, 100, 0, 2, $r1), ($view, $k2, 200, 0, 1, $r2);
                """;
            command.Parameters.AddWithValue("$view", View);
            command.Parameters.AddWithValue("$k1", Key(1).ToArray());
            command.Parameters.AddWithValue("$k2", Key(2).ToArray());
            command.Parameters.AddWithValue("$r1", older);
            command.Parameters.AddWithValue("$r2", newer);
            command.ExecuteNonQuery();
        }

        var store = await Open(Never);

        Assert.Equal(older, await ReadOne(store, Key(1)));
        Assert.Equal(newer, await ReadOne(store, Key(2)));
        Assert.Equal(0, LogRows("SELECT count(*) FROM sqlite_master WHERE name IN ('records', 'sequence')"));
        Assert.Equal(1, await store.WriteAsync([new OnlineWrite(View, Key(1), Record(300, 3)), new OnlineWrite(View, Key(2), Record(150, 3))]));
        Assert.Equal(Record(300, 3), await ReadOne(await Open(Never), Key(1)));
    }

    [Fact]
    public async Task Records_shorter_than_a_header_are_refused_before_anything_is_written()
    {
        var store = await Open(Never);

        var error = await Assert.ThrowsAsync<GranaryException>(() => store.WriteAsync(
            [new OnlineWrite(View, Key(1), Record(1, 1)), new OnlineWrite(View, Key(2), [1, 2, 3])]));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.Null(await ReadOne(await Open(Never), Key(1)));
    }

    [Fact]
    public async Task A_read_before_initializing_opens_the_file_first()
    {
        var writer = await Open(Never);
        await writer.WriteAsync([new OnlineWrite(View, Key(1), Record(1, 1))]);
        await writer.DisposeAsync();
        await using var store = new EmbeddedOnlineStore(DbPath);

        Assert.Equal(Record(1, 1), await ReadOne(store, Key(1)));
        Assert.Equal("embedded", store.Name);
    }

    public void Dispose() => _files.Dispose();

    private Task<EmbeddedOnlineStore> Open(TimeSpan refreshInterval, string? path = null) => _files.Open(refreshInterval, path);

    private long LogRows(string sql) => _files.Scalar(sql);

    private static async Task<byte[]?> ReadOne(EmbeddedOnlineStore store, EntityKey key)
    {
        var records = new byte[]?[1];
        await store.ReadAsync([new OnlineKey(View, key)], records);
        return records[0];
    }

    private static async Task<byte[]?> EventuallyRead(EmbeddedOnlineStore store, EntityKey key, byte[] expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        byte[]? record;
        while ((record = await ReadOne(store, key)) is null || !record.AsSpan().SequenceEqual(expected))
        {
            if (DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(10);
        }

        return record;
    }

    private static EntityKey Key(long id) => EntityKey.Create(FeatureValue.Int64(id));

    private static byte[] Record(long eventMicros, long a) =>
        OnlineRecord.Encode(Schema, eventMicros, 0, [FeatureValue.Int64(a)]);
}

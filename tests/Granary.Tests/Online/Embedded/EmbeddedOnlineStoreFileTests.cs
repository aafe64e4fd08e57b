using Granary.Errors;
using Granary.Model;
using Granary.Online;
using Granary.Online.Embedded;
using Granary.Values;

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

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "granary-embedded-tests", Guid.NewGuid().ToString("N"));
    private readonly List<EmbeddedOnlineStore> _stores = [];

    private string DbPath => Path.Combine(_folder, "data", "online.db");

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
        var copy = Path.Combine(_folder, "copy", "online.db");
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
    public async Task Records_shorter_than_a_header_are_refused_before_anything_is_written()
    {
        var store = await Open(Never);

        var error = await Assert.ThrowsAsync<GranaryException>(() => store.WriteAsync(
            [new OnlineWrite(View, Key(1), Record(1, 1)), new OnlineWrite(View, Key(2), [1, 2, 3])]));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.Null(await ReadOne(await Open(Never), Key(1)));
    }

    [Fact]
    public async Task Reading_before_initializing_is_an_error()
    {
        await using var store = new EmbeddedOnlineStore(DbPath);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.ReadAsync([new OnlineKey(View, Key(1))], new byte[]?[1]));
        Assert.Equal("embedded", store.Name);
    }

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private async Task<EmbeddedOnlineStore> Open(TimeSpan refreshInterval, string? path = null)
    {
        var store = new EmbeddedOnlineStore(path ?? DbPath, refreshInterval);
        _stores.Add(store);
        await store.InitializeAsync();
        return store;
    }

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

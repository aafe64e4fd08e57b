using Granary.Core.Model;
using Granary.Online;
using Granary.Online.Embedded;
using Granary.Core.Values;

namespace Granary.Tests.Online.Embedded;

/// <summary>A teardown seen by another store over the same file, as a running <c>granary serve</c> sees a <c>granary teardown</c>.</summary>
public sealed class EmbeddedTeardownTests : IDisposable
{
    private static readonly RecordSchema Schema = new([new Field("a", FeatureType.Int64)]);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "granary-embedded-teardown", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Another_store_over_the_file_drops_torn_down_records_and_sees_writes_made_after()
    {
        var path = Path.Combine(_folder, "online.db");
        await using var writer = new EmbeddedOnlineStore(path, TimeSpan.Zero);
        await using var reader = new EmbeddedOnlineStore(path, TimeSpan.Zero);
        await writer.InitializeAsync();
        await reader.InitializeAsync();
        await writer.WriteAsync([Write(1, 100), Write(2, 200), Write(3, 300)]);
        Assert.NotNull(await ReadAsync(reader, 3));

        await writer.TeardownAsync();
        Assert.Null(await ReadAsync(reader, 1));
        Assert.Null(await ReadAsync(reader, 3));

        // The log starts again from seq 1, below what the reader had seen: it must still pick the new row up.
        var after = Write(5, 50);
        await writer.WriteAsync([after]);
        Assert.Equal(after.Record, await ReadAsync(reader, 5));
        Assert.Null(await ReadAsync(reader, 1));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static OnlineWrite Write(long entity, long value) =>
        new("v", EntityKey.Create(FeatureValue.Int64(entity)), OnlineRecord.Encode(Schema, 1_000_000 * value, 0, [FeatureValue.Int64(value)]));

    private static async Task<byte[]?> ReadAsync(IOnlineStore store, long entity)
    {
        var records = new byte[]?[1];
        await store.ReadAsync([new OnlineKey("v", EntityKey.Create(FeatureValue.Int64(entity)))], records);
        return records[0];
    }
}

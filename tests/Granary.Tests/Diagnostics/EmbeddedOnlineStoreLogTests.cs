using Granary.Core.Model;
using Granary.Core.Values;
using Granary.Online;
using Granary.Online.Embedded;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Granary.Tests.Diagnostics;

/// <summary>What the embedded store tells an operator (events 5001-5099): its start-up replay and other processes' doings on its file.</summary>
public sealed class EmbeddedOnlineStoreLogTests : IDisposable
{
    private static readonly RecordSchema Schema = new([new Field("a", FeatureType.Int64)]);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "granary-embedded-log", Guid.NewGuid().ToString("N"));

    private string FilePath => Path.Combine(_folder, "online.db");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task Opening_logs_how_many_records_the_replay_brought_back()
    {
        await using (var writer = new EmbeddedOnlineStore(FilePath))
        {
            await writer.InitializeAsync();
            await writer.WriteAsync([Write(1, 10), Write(2, 10), Write(1, 20)]);
        }

        var log = new CapturedLog();
        await using var reopened = new EmbeddedOnlineStore(FilePath, EmbeddedOnlineStore.DefaultRefreshInterval, log);
        await reopened.InitializeAsync();

        var opened = Assert.Single(log.WithId(5001));
        Assert.Equal(LogLevel.Information, opened.Level);
        Assert.Contains(FilePath, opened.Message, StringComparison.Ordinal);
        Assert.Contains("2 records from 3 log rows", opened.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_processs_writes_and_teardown_are_logged_when_a_read_finds_them()
    {
        var log = new CapturedLog();
        await using var server = new EmbeddedOnlineStore(FilePath, TimeSpan.Zero, log);
        await using var other = new EmbeddedOnlineStore(FilePath, TimeSpan.Zero);
        await server.InitializeAsync();
        await other.InitializeAsync();

        await other.WriteAsync([Write(1, 10), Write(2, 10)]);
        await server.ReadAsync([new OnlineKey("stats", Key(1))], new byte[]?[1]);
        await other.TeardownAsync();
        await server.ReadAsync([new OnlineKey("stats", Key(1))], new byte[]?[1]);

        var caughtUp = Assert.Single(log.WithId(5006));
        Assert.Equal(LogLevel.Debug, caughtUp.Level);
        Assert.Contains("loaded 2 log rows", caughtUp.Message, StringComparison.Ordinal);
        var tornDown = Assert.Single(log.WithId(5005));
        Assert.Contains("dropped the 2 records", tornDown.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Count);
    }

    private static EntityKey Key(long id) => EntityKey.Create(FeatureValue.Int64(id));

    private static OnlineWrite Write(long id, long eventMicros) =>
        new("stats", Key(id), OnlineRecord.Encode(Schema, eventMicros, eventMicros, [FeatureValue.Int64(id)]));
}

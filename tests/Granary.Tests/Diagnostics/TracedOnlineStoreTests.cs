using System.Diagnostics;
using Granary.Contracts.Errors;
using Granary.Core.Diagnostics;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Values;
using Granary.Online;
using Granary.Online.Diagnostics;
using Granary.Online.Embedded;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Diagnostics;

/// <summary>Online store calls as spans of <c>Granary.Online</c>, seen through an <see cref="ActivityListener"/> as OpenTelemetry would.</summary>
[Collection(ActivityListenerCollection.Name)]
public sealed class TracedOnlineStoreTests : IAsyncLifetime
{
    private static readonly RecordSchema Schema = new([new Field("a", FeatureType.Int64)]);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "granary-traced-online", Guid.NewGuid().ToString("N"));
    private EmbeddedOnlineStore _embedded = null!;

    public async Task InitializeAsync()
    {
        _embedded = new EmbeddedOnlineStore(Path.Combine(_folder, "online.db"));
        await _embedded.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _embedded.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Reads_writes_and_watermarks_are_spans_beneath_the_callers_activity()
    {
        var store = new TracedOnlineStore(_embedded);
        using var spans = new CapturedActivities(GranaryTelemetry.OnlineActivitySourceName);

        var written = await store.WriteAsync([new OnlineWrite("stats", Key(1), Record(10)), new OnlineWrite("stats", Key(2), Record(10))]);
        var records = new byte[]?[3];
        await store.ReadAsync([new OnlineKey("stats", Key(1)), new OnlineKey("stats", Key(2)), new OnlineKey("stats", Key(3))], records);
        await store.SetWatermarkAsync("stats", DateTimeOffset.UnixEpoch.AddDays(1));
        await store.GetWatermarkAsync("stats");

        Assert.Same(spans.Root, Activity.Current);
        Assert.Equal(
            ["granary.online_store.write", "granary.online_store.read", "granary.online_store.set_watermark", "granary.online_store.get_watermark"],
            spans.Stopped.Select(a => a.OperationName));
        Assert.All(spans.Stopped, a =>
        {
            Assert.Equal(spans.Root.SpanId, a.ParentSpanId);
            Assert.Equal(ActivityKind.Internal, a.Kind);
            Assert.Equal("embedded", a.GetTagItem("granary.online_store.type"));
            Assert.Null(a.GetTagItem("db.system.name"));
            Assert.Equal(ActivityStatusCode.Unset, a.Status);
        });
        var write = spans.Single("granary.online_store.write");
        Assert.Equal("write", write.GetTagItem("db.operation.name"));
        Assert.Equal(2, write.GetTagItem("granary.online_store.writes"));
        Assert.Equal(written, write.GetTagItem("granary.online_store.written"));
        Assert.Equal(3, spans.Single("granary.online_store.read").GetTagItem("granary.online_store.keys"));
        Assert.Equal("stats", spans.Single("granary.online_store.get_watermark").GetTagItem("granary.feature_view"));
    }

    [Fact]
    public async Task A_store_behind_a_database_makes_client_spans_named_after_it()
    {
        var store = new TracedOnlineStore(_embedded, dbSystemName: "redis");
        using var spans = new CapturedActivities(GranaryTelemetry.OnlineActivitySourceName);

        await store.GetWatermarkAsync("stats");

        var span = spans.Single("granary.online_store.get_watermark");
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("redis", span.GetTagItem("db.system.name"));
    }

    [Fact]
    public async Task A_failed_call_marks_its_span_with_the_stable_error_code_and_still_throws()
    {
        var store = new TracedOnlineStore(new UnavailableStore());
        using var spans = new CapturedActivities(GranaryTelemetry.OnlineActivitySourceName);

        var error = await Assert.ThrowsAsync<GranaryException>(async () => await store.ReadAsync([new OnlineKey("stats", Key(1))], new byte[]?[1]));

        var span = spans.Single("granary.online_store.read");
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(ErrorCodes.OnlineStoreUnavailable, span.GetTagItem("error.type"));
        Assert.Equal(error.Message, span.StatusDescription);
        Assert.Contains(span.Events, e => e.Name == "exception");
        Assert.Same(spans.Root, Activity.Current);
    }

    [Fact]
    public async Task Without_a_listener_a_read_is_the_stores_own_synchronous_call_and_no_span()
    {
        var store = new TracedOnlineStore(_embedded);
        var before = Activity.Current;

        var read = store.ReadAsync([new OnlineKey("stats", Key(1))], new byte[]?[1]);

        // The embedded store's ValueTask as it returned it: completed, with no state machine of the decorator's.
        Assert.True(read.IsCompletedSuccessfully);
        await read;
        Assert.Same(before, Activity.Current);
    }

    private static EntityKey Key(long id) => EntityKey.Create(FeatureValue.Int64(id));

    private static byte[] Record(long a) => OnlineRecord.Encode(Schema, 1_000_000, 1_000_000, [FeatureValue.Int64(a)]);

    /// <summary>A store whose every read fails as a store that does not answer does.</summary>
    private sealed class UnavailableStore : IOnlineStore
    {
        public string Name => "unavailable";

        public Task InitializeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<int> WriteAsync(IReadOnlyList<OnlineWrite> writes, CancellationToken cancellationToken = default) => throw Unavailable();

        public async ValueTask ReadAsync(IReadOnlyList<OnlineKey> keys, byte[]?[] records, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            throw Unavailable();
        }

        public Task<DateTimeOffset?> GetWatermarkAsync(string view, CancellationToken cancellationToken = default) => throw Unavailable();

        public Task SetWatermarkAsync(string view, DateTimeOffset watermark, CancellationToken cancellationToken = default) => throw Unavailable();

        public Task TeardownAsync(CancellationToken cancellationToken = default) => throw Unavailable();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private static GranaryException Unavailable() => new(ErrorCodes.OnlineStoreUnavailable, "The test store does not answer.");
    }
}

using System.Diagnostics;
using Granary.Core.Diagnostics;
using Granary.Online;
using Granary.Online.Diagnostics;
using Granary.Online.Embedded;
using Granary.Tests.Online;

namespace Granary.Tests.Diagnostics;

/// <summary>
/// The whole online store contract through <see cref="TracedOnlineStore"/> while its spans are listened to: tracing
/// changes nothing a store does.
/// </summary>
[Collection(ActivityListenerCollection.Name)]
public sealed class TracedOnlineStoreContractTests : OnlineStoreContract
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "granary-traced-contract", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<IOnlineStore, string> _paths = [];
    private readonly ActivityListener _listener;
    private int _spans;
    private int _next;

    public TracedOnlineStoreContractTests()
    {
        _listener = Listen();
    }

    protected override async Task<IOnlineStore> CreateStoreAsync()
    {
        var folder = Path.Combine(_root, Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return await OpenAsync(Path.Combine(folder, "online.db"));
    }

    protected override async Task<IOnlineStore> ReopenAsync(IOnlineStore store)
    {
        var path = _paths[store];
        await store.DisposeAsync();
        return await OpenAsync(path);
    }

    protected override Task CleanupAsync()
    {
        // Spans were made (nothing else runs in this collection meanwhile): the contract ran through the traced path.
        _listener.Dispose();
        Assert.True(Volatile.Read(ref _spans) > 0);
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        return Task.CompletedTask;
    }

    private ActivityListener Listen()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GranaryTelemetry.OnlineActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ => Interlocked.Increment(ref _spans),
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private async Task<IOnlineStore> OpenAsync(string path)
    {
        var store = new TracedOnlineStore(new EmbeddedOnlineStore(path));
        await store.InitializeAsync();
        _paths[store] = path;
        return store;
    }
}

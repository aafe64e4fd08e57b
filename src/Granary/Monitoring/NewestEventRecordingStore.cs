using Granary.Online;

namespace Granary.Monitoring;

/// <summary>
/// The online store as materialization and push write to it: each acknowledged batch's event times go to the
/// <see cref="NewestEventTracker"/>; everything else passes straight through.
/// </summary>
internal sealed class NewestEventRecordingStore(IOnlineStore inner, NewestEventTracker tracker) : IOnlineStore
{
    public string Name => inner.Name;

    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public async Task<int> WriteAsync(IReadOnlyList<OnlineWrite> writes, CancellationToken cancellationToken = default)
    {
        var written = await inner.WriteAsync(writes, cancellationToken);

        // After the acknowledgement: a write that failed moved nothing. A write that replaced nothing still counts, as
        // the value it lost to is at least as new.
        tracker.Observe(writes);
        return written;
    }

    public ValueTask ReadAsync(IReadOnlyList<OnlineKey> keys, byte[]?[] records, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(keys, records, cancellationToken);

    public Task<DateTimeOffset?> GetWatermarkAsync(string view, CancellationToken cancellationToken = default) => inner.GetWatermarkAsync(view, cancellationToken);

    public Task SetWatermarkAsync(string view, DateTimeOffset watermark, CancellationToken cancellationToken = default) =>
        inner.SetWatermarkAsync(view, watermark, cancellationToken);

    public Task TeardownAsync(CancellationToken cancellationToken = default) => inner.TeardownAsync(cancellationToken);

    // The wrapped store is the facade's and disposed by it; this view of it owns nothing.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public TCapability? GetCapability<TCapability>()
        where TCapability : class => inner.GetCapability<TCapability>();
}

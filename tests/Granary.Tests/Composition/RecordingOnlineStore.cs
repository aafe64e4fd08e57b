using Granary.Online;

namespace Granary.Tests.Composition;

/// <summary>A wrapper that names itself after what it wraps and notes its disposal, to see wrappers' order and ownership.</summary>
internal sealed class RecordingOnlineStore(IOnlineStore inner, string name, List<string> log) : IOnlineStore
{
    public string Name => $"{name}({inner.Name})";

    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public Task<int> WriteAsync(IReadOnlyList<OnlineWrite> writes, CancellationToken cancellationToken = default) => inner.WriteAsync(writes, cancellationToken);

    public ValueTask ReadAsync(IReadOnlyList<OnlineKey> keys, byte[]?[] records, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(keys, records, cancellationToken);

    public Task<DateTimeOffset?> GetWatermarkAsync(string view, CancellationToken cancellationToken = default) => inner.GetWatermarkAsync(view, cancellationToken);

    public Task SetWatermarkAsync(string view, DateTimeOffset watermark, CancellationToken cancellationToken = default) =>
        inner.SetWatermarkAsync(view, watermark, cancellationToken);

    public Task TeardownAsync(CancellationToken cancellationToken = default) => inner.TeardownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        log.Add($"disposed {name}");
        await inner.DisposeAsync();
    }
}

using System.Diagnostics;
using Granary.Online;

namespace Granary.Server.Diagnostics;

/// <summary>
/// Wraps the online store to time its reads and writes and count reads per feature view, so <c>/metrics</c> shows
/// the store's own latency apart from the server's. Everything else passes straight through.
/// </summary>
internal sealed class MeteredOnlineStore(IOnlineStore inner, ServerMetrics metrics) : IOnlineStore
{
    public string Name => inner.Name;

    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public async Task<int> WriteAsync(IReadOnlyList<OnlineWrite> writes, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var written = await inner.WriteAsync(writes, cancellationToken);
        metrics.StoreWrite(inner.Name, started);
        return written;
    }

    public ValueTask ReadAsync(IReadOnlyList<OnlineKey> keys, byte[]?[] records, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var read = inner.ReadAsync(keys, records, cancellationToken);
        if (read.IsCompletedSuccessfully)
        {
            // The embedded store answers synchronously: no async state machine on its hot path. The read has completed,
            // so this waits for nothing; a ValueTask must still be consumed once, which releases a pooled source.
            read.GetAwaiter().GetResult();
            Record(keys, started);
            return default;
        }

        return ReadSlowAsync(read, keys, started);
    }

    public Task<DateTimeOffset?> GetWatermarkAsync(string view, CancellationToken cancellationToken = default) => inner.GetWatermarkAsync(view, cancellationToken);

    public Task SetWatermarkAsync(string view, DateTimeOffset watermark, CancellationToken cancellationToken = default) =>
        inner.SetWatermarkAsync(view, watermark, cancellationToken);

    public Task TeardownAsync(CancellationToken cancellationToken = default) => inner.TeardownAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    public TCapability? GetCapability<TCapability>()
        where TCapability : class => inner.GetCapability<TCapability>();

    private async ValueTask ReadSlowAsync(ValueTask read, IReadOnlyList<OnlineKey> keys, long started)
    {
        await read;
        Record(keys, started);
    }

    private void Record(IReadOnlyList<OnlineKey> keys, long started)
    {
        metrics.StoreRead(inner.Name, started);
        var runStart = 0;
        for (var i = 1; i <= keys.Count; i++)
        {
            if (i == keys.Count || !string.Equals(keys[i].View, keys[runStart].View, StringComparison.Ordinal))
            {
                metrics.ViewReads(keys[runStart].View, i - runStart);
                runStart = i;
            }
        }
    }
}

using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Online;

namespace Granary.Tests.OnlineServing;

/// <summary>
/// Wraps a real online store; its <see cref="FailAtWrite"/>-th <c>WriteAsync</c> fails asynchronously, as a store
/// that goes away mid-run does, with the store's own unavailable error. Every other call goes to the real store.
/// </summary>
internal sealed class FailingWrites(IOnlineStore inner) : IOnlineStore
{
    private int _writes;

    public int FailAtWrite { get; init; } = int.MaxValue;

    /// <summary>Write calls received, the failing one included.</summary>
    public int Writes => Volatile.Read(ref _writes);

    public string Name => inner.Name;

    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public async Task<int> WriteAsync(IReadOnlyList<OnlineWrite> writes, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref _writes) == FailAtWrite)
        {
            await Task.Yield();
            throw new GranaryException(ErrorCodes.OnlineStoreUnavailable, "The online store went away during write " + FailAtWrite + ".");
        }

        return await inner.WriteAsync(writes, cancellationToken);
    }

    public ValueTask ReadAsync(IReadOnlyList<OnlineKey> keys, byte[]?[] records, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(keys, records, cancellationToken);

    public Task<DateTimeOffset?> GetWatermarkAsync(string view, CancellationToken cancellationToken = default) => inner.GetWatermarkAsync(view, cancellationToken);

    public Task SetWatermarkAsync(string view, DateTimeOffset watermark, CancellationToken cancellationToken = default) =>
        inner.SetWatermarkAsync(view, watermark, cancellationToken);

    public Task TeardownAsync(CancellationToken cancellationToken = default) => inner.TeardownAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}

using System.Buffers;

namespace Granary.Online.Caching;

/// <summary>
/// Wraps an online store with a read cache (<c>online_store: {cache_ttl, cache_max_entries}</c>): a key's answer, a
/// record or "none", is served from memory for <see cref="OnlineCacheOptions.Ttl"/> after it was read, so hot keys
/// cost no round trip. Writes through this store invalidate their keys when they complete; writes by other processes
/// (a materialization elsewhere, another server's push) are seen once the answer's TTL has passed. That bound is the
/// cache's whole contract: no answer is served later than the TTL after the start of the store read that fetched it.
/// </summary>
/// <remarks>
/// Everything else passes straight through. Reads check their arguments, disposal and token themselves before
/// looking in memory, so a read answered from memory refuses what the store would refuse. Only the keys the cache
/// misses reach the store, in one batch, through pooled buffers; a read that hits every key completes synchronously
/// and allocates nothing.
/// </remarks>
internal sealed class CachedOnlineStore : IOnlineStore
{
    private readonly IOnlineStore _inner;
    private readonly OnlineReadCache _cache;
    private readonly TimeProvider _time;
    private readonly long _ttlTicks;
    private readonly OnlineCacheMetrics _metrics;
    private volatile bool _disposed;

    public CachedOnlineStore(IOnlineStore inner, OnlineCacheOptions options, TimeProvider time, OnlineCacheMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Ttl, TimeSpan.Zero);
        _inner = inner;
        _cache = new OnlineReadCache(options.MaxEntries);
        _time = time;
        _ttlTicks = options.Ttl.Ticks;
        _metrics = metrics;
    }

    /// <inheritdoc />
    public string Name => _inner.Name;

    /// <summary>The store whose reads are cached.</summary>
    internal IOnlineStore Inner => _inner;

    /// <inheritdoc />
    public TCapability? GetCapability<TCapability>()
        where TCapability : class => _inner.GetCapability<TCapability>();

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default) => _inner.InitializeAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<int> WriteAsync(IReadOnlyList<OnlineWrite> writes, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _inner.WriteAsync(writes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Also after a failure or cancellation: part of the batch may have been applied.
            if (writes is not null)
            {
                _cache.Invalidate(writes);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask ReadAsync(IReadOnlyList<OnlineKey> keys, byte[]?[] records, CancellationToken cancellationToken = default)
    {
        OnlineStoreArguments.CheckRead(keys, records);
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (keys.Count == 0)
        {
            return _inner.ReadAsync(keys, records, cancellationToken);
        }

        var epoch = _cache.Epoch;
        var now = _time.GetUtcNow().UtcTicks;
        var missed = ArrayPool<bool>.Shared.Rent(keys.Count);
        var misses = _cache.Lookup(keys, records, missed, now);
        _metrics.Read(keys.Count - misses, misses);
        if (misses == 0)
        {
            ArrayPool<bool>.Shared.Return(missed);
            return ValueTask.CompletedTask;
        }

        return ReadMissesAsync(keys, records, missed, misses, epoch, now + _ttlTicks, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DateTimeOffset?> GetWatermarkAsync(string view, CancellationToken cancellationToken = default) =>
        _inner.GetWatermarkAsync(view, cancellationToken);

    /// <inheritdoc />
    public Task SetWatermarkAsync(string view, DateTimeOffset watermark, CancellationToken cancellationToken = default) =>
        _inner.SetWatermarkAsync(view, watermark, cancellationToken);

    /// <inheritdoc />
    public async Task TeardownAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _inner.TeardownAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _cache.Clear();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _disposed = true;
        _cache.Clear();
        return _inner.DisposeAsync();
    }

    private async ValueTask ReadMissesAsync(IReadOnlyList<OnlineKey> keys, byte[]?[] records, bool[] missed, int misses, long epoch, long expiresAtTicks, CancellationToken cancellationToken)
    {
        var missKeys = ArrayPool<OnlineKey>.Shared.Rent(misses);
        var missRecords = ArrayPool<byte[]?>.Shared.Rent(misses);
        try
        {
            var m = 0;
            for (var i = 0; i < keys.Count; i++)
            {
                if (missed[i])
                {
                    missKeys[m++] = keys[i];
                }
            }

            await _inner.ReadAsync(new ArraySegment<OnlineKey>(missKeys, 0, misses), missRecords, cancellationToken).ConfigureAwait(false);
            m = 0;
            for (var i = 0; i < keys.Count; i++)
            {
                if (missed[i])
                {
                    records[i] = missRecords[m++];
                }
            }

            _metrics.Evicted(_cache.Fill(missKeys.AsSpan(0, misses), missRecords.AsSpan(0, misses), epoch, expiresAtTicks));
        }
        finally
        {
            Array.Clear(missKeys, 0, misses);
            Array.Clear(missRecords, 0, misses);
            ArrayPool<OnlineKey>.Shared.Return(missKeys);
            ArrayPool<byte[]?>.Shared.Return(missRecords);
            ArrayPool<bool>.Shared.Return(missed);
        }
    }
}

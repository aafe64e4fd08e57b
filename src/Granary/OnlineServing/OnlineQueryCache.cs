using System.Collections.Concurrent;

namespace Granary.OnlineServing;

/// <summary>
/// Resolved <see cref="OnlineQuery"/>s of one registry version by <see cref="OnlineQueryShape"/>. Bounded: past
/// <see cref="Capacity"/> shapes (clients that build feature lists dynamically), further shapes are resolved per
/// request and not kept. Failed resolutions are never kept, so a mistake costs its caller, not the cache.
/// </summary>
internal sealed class OnlineQueryCache(OnlinePlans plans)
{
    public const int Capacity = 1024;

    private readonly ConcurrentDictionary<OnlineQueryShape, OnlineQuery> _queries = new();
    private int _count;   // ConcurrentDictionary.Count takes every lock; this does not

    public OnlineQuery Get(OnlineQueryShape shape)
    {
        if (_queries.TryGetValue(shape, out var query))
        {
            return query;
        }

        query = OnlineQuery.Resolve(shape, plans);
        if (Volatile.Read(ref _count) < Capacity && _queries.TryAdd(shape.Detach(), query))
        {
            Interlocked.Increment(ref _count);
        }

        return query;
    }
}

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

    private readonly ConcurrentDictionary<OnlineQueryShape, Entry> _queries = new();
    private int _count;   // ConcurrentDictionary.Count takes every lock; this does not

    // The entry that answered last, tried before the dictionary: a server answering one kind of request all day then
    // compares its names, mostly by reference (the HTTP parser interns them), instead of hashing every one of them.
    // Written whenever a request's shape differs from the last one's (with shapes alternating, on every request: the
    // dictionary still answers, at the cost of that write).
    private Entry? _last;

    public OnlineQuery Get(OnlineQueryShape shape)
    {
        if (Volatile.Read(ref _last) is { } last && last.Shape.Equals(shape))
        {
            return last.Query;
        }

        if (_queries.TryGetValue(shape, out var entry))
        {
            Volatile.Write(ref _last, entry);
            return entry.Query;
        }

        var query = OnlineQuery.Resolve(shape, plans);
        entry = new Entry(shape.Detach(), query);
        if (Volatile.Read(ref _count) < Capacity && _queries.TryAdd(entry.Shape, entry))
        {
            Interlocked.Increment(ref _count);
            Volatile.Write(ref _last, entry);
        }

        return query;
    }

    private sealed record Entry(OnlineQueryShape Shape, OnlineQuery Query);
}

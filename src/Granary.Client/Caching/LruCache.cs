namespace Granary.Client.Caching;

/// <summary>
/// A bounded map that forgets the least recently used entry when full and serves an entry only for its time to live
/// after it was stored, on the given clock. Thread-safe with one lock: every operation is a dictionary probe and a
/// few pointer moves.
/// </summary>
internal sealed class LruCache<TKey, TValue>
    where TKey : notnull
{
    private readonly int _capacity;
    private readonly TimeSpan _ttl;
    private readonly TimeProvider _time;
    private readonly Dictionary<TKey, LinkedListNode<Entry>> _entries;
    private readonly LinkedList<Entry> _recency = new();
    private readonly object _lock = new();

    public LruCache(int capacity, TimeSpan ttl, TimeProvider time)
    {
        if (capacity <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A cache holds at least one entry.");
        }

        _capacity = capacity;
        _ttl = ttl;
        _time = time;
        _entries = new Dictionary<TKey, LinkedListNode<Entry>>(Math.Min(capacity, 1024));
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public bool TryGet(TKey key, out TValue value)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                if (now < node.Value.Expires)
                {
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                    value = node.Value.Value;
                    return true;
                }

                _recency.Remove(node);
                _entries.Remove(key);
            }
        }

        value = default!;
        return false;
    }

    public void Set(TKey key, TValue value)
    {
        var entry = new Entry(key, value, _time.GetUtcNow() + _ttl);
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                existing.Value = entry;
                _recency.Remove(existing);
                _recency.AddFirst(existing);
                return;
            }

            if (_entries.Count >= _capacity)
            {
                var oldest = _recency.Last!;
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
            }

            _entries.Add(key, _recency.AddFirst(entry));
        }
    }

    private readonly record struct Entry(TKey Key, TValue Value, DateTimeOffset Expires);
}

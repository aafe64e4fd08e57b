namespace Granary.Online.Caching;

/// <summary>
/// The memory of <see cref="CachedOnlineStore"/>: for each (view, entity) the record last read, or null for "none",
/// with when it expires, in least-recently-used order under a bound on the number of keys.
/// </summary>
/// <remarks>
/// <para>One lock over a dictionary and an intrusive doubly linked list. A read of a batch takes the lock once, and
/// the work under it is a few dictionary probes and pointer moves, so contention stays far below a network round
/// trip. Libraries were weighed: <c>MemoryCache</c> evicts by compaction in the background rather than at the bound
/// and reads its own clock, and BitFaster's TLRU reads <c>Stopwatch</c>; the expiry here must follow the store's
/// <see cref="TimeProvider"/> so that tests and the TTL agree.</para>
/// <para><see cref="Epoch"/> counts invalidations. A reader notes it before it reads the store and fills only if no
/// invalidation happened since (<see cref="Fill"/>), which keeps a value read before a write from being cached after
/// the write's invalidation.</para>
/// </remarks>
internal sealed class OnlineReadCache
{
    private readonly Dictionary<OnlineKey, Entry> _entries;
    private readonly int _capacity;
    private readonly Lock _lock = new();
    private Entry? _newest;
    private Entry? _oldest;
    private long _epoch;

    public OnlineReadCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
        _entries = new Dictionary<OnlineKey, Entry>(Math.Min(capacity, 1024));
    }

    /// <summary>How many invalidations there have been; see <see cref="Fill"/>.</summary>
    public long Epoch => Interlocked.Read(ref _epoch);

    /// <summary>
    /// Looks up every key, writing hits into <paramref name="records"/> and marking misses (absent or expired at
    /// <paramref name="nowTicks"/>) in <paramref name="missed"/>. Returns the number of misses.
    /// </summary>
    public int Lookup(IReadOnlyList<OnlineKey> keys, byte[]?[] records, bool[] missed, long nowTicks)
    {
        var misses = 0;
        lock (_lock)
        {
            for (var i = 0; i < keys.Count; i++)
            {
                if (_entries.TryGetValue(keys[i], out var entry))
                {
                    if (entry.ExpiresAtTicks > nowTicks)
                    {
                        records[i] = entry.Record;
                        missed[i] = false;
                        MoveToNewest(entry);
                        continue;
                    }

                    Unlink(entry);
                    _entries.Remove(entry.Key);
                }

                missed[i] = true;
                misses++;
            }
        }

        return misses;
    }

    /// <summary>
    /// Remembers what the store answered for <paramref name="keys"/>, unless an invalidation happened after
    /// <paramref name="epoch"/> was read (then the answers may predate a write, and are not kept). Returns how many
    /// keys were evicted to stay within the bound.
    /// </summary>
    public int Fill(ReadOnlySpan<OnlineKey> keys, ReadOnlySpan<byte[]?> records, long epoch, long expiresAtTicks)
    {
        var evicted = 0;
        lock (_lock)
        {
            if (_epoch != epoch)
            {
                return 0;
            }

            for (var i = 0; i < keys.Length; i++)
            {
                if (_entries.TryGetValue(keys[i], out var entry))
                {
                    entry.Record = records[i];
                    entry.ExpiresAtTicks = expiresAtTicks;
                    MoveToNewest(entry);
                    continue;
                }

                if (_entries.Count >= _capacity && _oldest is { } oldest)
                {
                    Unlink(oldest);
                    _entries.Remove(oldest.Key);
                    evicted++;
                }

                entry = new Entry(keys[i]) { Record = records[i], ExpiresAtTicks = expiresAtTicks };
                _entries.Add(entry.Key, entry);
                LinkAsNewest(entry);
            }
        }

        return evicted;
    }

    /// <summary>Forgets <paramref name="writes"/>' keys and starts a new epoch, so reads begun before cannot fill.</summary>
    public void Invalidate(IReadOnlyList<OnlineWrite> writes)
    {
        lock (_lock)
        {
            for (var i = 0; i < writes.Count; i++)
            {
                if (_entries.Remove(new OnlineKey(writes[i].View, writes[i].Entity), out var entry))
                {
                    Unlink(entry);
                }
            }

            _epoch++;
        }
    }

    /// <summary>Forgets everything and starts a new epoch.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
            _newest = null;
            _oldest = null;
            _epoch++;
        }
    }

    private void MoveToNewest(Entry entry)
    {
        if (entry != _newest)
        {
            Unlink(entry);
            LinkAsNewest(entry);
        }
    }

    private void LinkAsNewest(Entry entry)
    {
        entry.Older = _newest;
        entry.Newer = null;
        if (_newest is not null)
        {
            _newest.Newer = entry;
        }

        _newest = entry;
        _oldest ??= entry;
    }

    private void Unlink(Entry entry)
    {
        if (entry.Newer is not null)
        {
            entry.Newer.Older = entry.Older;
        }
        else if (_newest == entry)
        {
            _newest = entry.Older;
        }

        if (entry.Older is not null)
        {
            entry.Older.Newer = entry.Newer;
        }
        else if (_oldest == entry)
        {
            _oldest = entry.Newer;
        }

        entry.Newer = null;
        entry.Older = null;
    }

    private sealed class Entry(OnlineKey key)
    {
        public OnlineKey Key { get; } = key;

        public byte[]? Record { get; set; }

        public long ExpiresAtTicks { get; set; }

        public Entry? Newer { get; set; }

        public Entry? Older { get; set; }
    }
}

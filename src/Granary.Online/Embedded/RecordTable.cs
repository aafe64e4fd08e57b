using System.Numerics;
using Granary.Core.Values;

namespace Granary.Online.Embedded;

/// <summary>
/// One view's records (or aggregate states) in memory: an open-addressing hash table (linear probing) from entity key to
/// the latest value and the seq of the log row it came from, written by one thread and read by any number without locks.
/// The value is a record array, or, for states, an immutable <see cref="StoredState"/>, so a reader gets a state and its
/// version from one reference load.
/// </summary>
/// <remarks>
/// <para>
/// Why not <c>ConcurrentDictionary</c>: it allocates a node per entry (and every node again each time it grows), takes a
/// lock per write, and costs about 72 bytes of dictionary per record; materializing 500,000 entities spent more of the
/// writer's time growing it than appending to SQLite. Here an entry is four array slots (28 bytes; 37 to 75 bytes per
/// record between a table just grown and one about to grow), nothing is allocated per write, and growing copies
/// references without touching the keys (their hashes are kept beside them).
/// </para>
/// <para>
/// Safety without locks, given a single writer: a new entry's record, seq and hash are stored before its key, and the key
/// with release semantics (<see cref="Volatile.Write{T}(ref T, T)"/>), so a reader that sees the key sees its record;
/// replacing a record is one reference store, atomic. Entries are never removed one by one (a teardown replaces the
/// whole table), so a probe that meets an empty slot may stop. Growing builds a new set of arrays and publishes it with
/// one volatile store: a reader still probing the old arrays sees the table as it was just before, as if it had read
/// a moment earlier, and a reader that starts after a write returned sees the new arrays.
/// </para>
/// </remarks>
internal sealed class RecordTable<TValue>
    where TValue : class
{
    private const int MinCapacity = 16;

    private volatile Slots _slots;
    private int _count;

    /// <param name="expected">Entries to make room for at once (a cold start's log size), or 0.</param>
    public RecordTable(int expected = 0) => _slots = new Slots(CapacityFor(expected));

    /// <summary>Entries held.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The record of <paramref name="entity"/>, or null; safe from any thread.</summary>
    public TValue? Get(EntityKey entity)
    {
        var slots = _slots;
        var keys = slots.Keys;
        var mask = keys.Length - 1;
        var hash = entity.GetHashCode();
        for (var i = hash & mask; ; i = (i + 1) & mask)
        {
            // The key is read first (acquire): its hash and record were stored before it.
            var key = Volatile.Read(ref keys[i]);
            if (key is null)
            {
                return null;
            }

            if (slots.Hashes[i] == hash && key.Equals(entity))
            {
                return Volatile.Read(ref slots.Records[i]);
            }
        }
    }

    /// <summary>Makes <paramref name="record"/>, log row <paramref name="seq"/>, the record of <paramref name="entity"/>. Writer only.</summary>
    public void Set(EntityKey entity, TValue record, long seq)
    {
        var slots = _slots;
        var i = Find(slots, entity);
        if (slots.Keys[i] is not null)
        {
            Volatile.Write(ref slots.Records[i], record);
            slots.Seqs[i] = seq;
            return;
        }

        if ((_count + 1) * 4L > slots.Keys.Length * 3L)
        {
            slots = Grow(slots);
            i = Find(slots, entity);
        }

        slots.Records[i] = record;
        slots.Seqs[i] = seq;
        slots.Hashes[i] = entity.GetHashCode();
        Volatile.Write(ref slots.Keys[i], entity);
        Volatile.Write(ref _count, _count + 1);
    }

    /// <summary>
    /// The record and seq held for <paramref name="entity"/>, for a writer deciding whether to replace them. Writer only.
    /// </summary>
    public bool TryGet(EntityKey entity, out TValue record, out long seq)
    {
        var slots = _slots;
        var i = Find(slots, entity);
        if (slots.Keys[i] is null)
        {
            (record, seq) = (null!, 0);
            return false;
        }

        (record, seq) = (slots.Records[i]!, slots.Seqs[i]);
        return true;
    }

    /// <summary>Adds the seq of every entry to <paramref name="seqs"/>. Writer only.</summary>
    public void AddSequences(List<long> seqs)
    {
        var slots = _slots;
        for (var i = 0; i < slots.Keys.Length; i++)
        {
            if (slots.Keys[i] is not null)
            {
                seqs.Add(slots.Seqs[i]);
            }
        }
    }

    /// <summary>The slot holding <paramref name="entity"/>, or the empty slot where it goes.</summary>
    private static int Find(Slots slots, EntityKey entity) => Find(slots, entity, entity.GetHashCode());

    private static int Find(Slots slots, EntityKey entity, int hash)
    {
        // The hashes are compared before the keys, so a probe past other keys touches only the arrays, not the key objects.
        var keys = slots.Keys;
        var hashes = slots.Hashes;
        var mask = keys.Length - 1;
        var i = hash & mask;
        while (keys[i] is { } key && (hashes[i] != hash || !key.Equals(entity)))
        {
            i = (i + 1) & mask;
        }

        return i;
    }

    /// <summary>The empty slot for a key known not to be in <paramref name="slots"/>: growing needs no comparison.</summary>
    private static int FreeSlot(Slots slots, int hash)
    {
        var mask = slots.Keys.Length - 1;
        var i = hash & mask;
        while (slots.Keys[i] is not null)
        {
            i = (i + 1) & mask;
        }

        return i;
    }

    private Slots Grow(Slots old)
    {
        var grown = new Slots(old.Keys.Length * 2);
        for (var j = 0; j < old.Keys.Length; j++)
        {
            if (old.Keys[j] is { } key)
            {
                var hash = old.Hashes[j];
                var i = FreeSlot(grown, hash);
                grown.Keys[i] = key;
                grown.Hashes[i] = hash;
                grown.Records[i] = old.Records[j];
                grown.Seqs[i] = old.Seqs[j];
            }
        }

        // Filled before it is published, so a reader never sees it half copied.
        _slots = grown;
        return grown;
    }

    // At most three quarters full, a power of two (so the probe wraps with a mask).
    private static int CapacityFor(int entries) =>
        (int)Math.Min(1 << 30, BitOperations.RoundUpToPowerOf2((uint)Math.Max(MinCapacity, (long)entries * 4 / 3 + 1)));

    /// <summary>One generation of the table's arrays, replaced whole when the table grows.</summary>
    private sealed class Slots(int capacity)
    {
        public readonly EntityKey?[] Keys = new EntityKey?[capacity];
        public readonly TValue?[] Records = new TValue?[capacity];
        public readonly long[] Seqs = new long[capacity];
        public readonly int[] Hashes = new int[capacity];
    }
}

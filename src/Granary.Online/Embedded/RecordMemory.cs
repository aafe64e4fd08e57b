using System.Collections.Concurrent;
using Granary.Values;

namespace Granary.Online.Embedded;

/// <summary>
/// The embedded store's read side: the latest committed record of every (view, entity), one dictionary per view keyed
/// by <see cref="EntityKey"/> (value equality, cached hash). Readers never lock; only the store's single writer, after a
/// commit or when it catches up with another process, calls <see cref="Publish"/>. Records are immutable arrays, so a
/// read hands out the stored array itself.
/// </summary>
internal sealed class RecordMemory
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<EntityKey, byte[]>> _views = new(StringComparer.Ordinal);

    private int _expected;

    /// <summary>
    /// Sizes the tables a cold start creates for about <paramref name="records"/> entries, so a million-row load does
    /// not rehash its way up; views created later start small.
    /// </summary>
    public void ExpectRecords(int records) => _expected = records;

    /// <summary>Records held, over all views.</summary>
    public long Count
    {
        get
        {
            long count = 0;
            foreach (var view in _views)
            {
                count += view.Value.Count;
            }

            return count;
        }
    }

    /// <summary>The record of one entity, or null.</summary>
    public byte[]? Get(string view, EntityKey entity) =>
        _views.TryGetValue(view, out var table) && table.TryGetValue(entity, out var record) ? record : null;

    /// <summary>Fills <paramref name="records"/> for <paramref name="keys"/>; no allocation.</summary>
    public void Read(IReadOnlyList<OnlineKey> keys, byte[]?[] records)
    {
        // Batches usually ask one view for many entities: look the view up once per run of equal names.
        string? lastView = null;
        ConcurrentDictionary<EntityKey, byte[]>? table = null;
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            if (!ReferenceEquals(key.View, lastView))
            {
                lastView = key.View;
                _views.TryGetValue(key.View, out table);
            }

            records[i] = table is not null && table.TryGetValue(key.Entity, out var record) ? record : null;
        }
    }

    /// <summary>Makes <paramref name="record"/> the visible value; the caller has already decided last-write-wins.</summary>
    public void Publish(string view, EntityKey entity, byte[] record)
    {
        if (!_views.TryGetValue(view, out var table))
        {
            var capacity = _expected;
            _expected = 0;
            table = _views.GetOrAdd(view, static (_, capacity) => new ConcurrentDictionary<EntityKey, byte[]>(Environment.ProcessorCount, capacity), capacity);
        }

        table[entity] = record;
    }
}

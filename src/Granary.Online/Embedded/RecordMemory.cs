using Granary.Core.Values;

namespace Granary.Online.Embedded;

/// <summary>
/// The embedded store's read side: the latest committed record of every (view, entity), one <see cref="RecordTable{TValue}"/>
/// per view keyed by <see cref="EntityKey"/> (value equality, cached hash), each with the seq of the log row it came
/// from (what compaction keeps). Readers never lock; only the store's single writer, after a commit or when it replays
/// the log (start-up, catching up with another process), calls <see cref="Publish"/> or <see cref="Replay"/>. Records
/// are immutable arrays, so a read hands out the stored array itself.
/// </summary>
internal sealed class RecordMemory
{
    private readonly ViewTables<byte[]> _views = new();

    private int _expected;

    /// <summary>
    /// Sizes the tables a cold start creates for about <paramref name="records"/> entries, so a million-row load does
    /// not rehash its way up; views created later start small.
    /// </summary>
    public void ExpectRecords(int records) => _expected = records;

    /// <summary>Records held, over all views.</summary>
    public long Count => _views.Count;

    /// <summary>Forgets every record: after a teardown, before the log is replayed from its start.</summary>
    public void Clear() => _views.Clear();

    /// <summary>The record of one entity, or null.</summary>
    public byte[]? Get(string view, EntityKey entity) => _views.Find(view)?.Get(entity);

    /// <summary>Fills <paramref name="records"/> for <paramref name="keys"/>; no allocation.</summary>
    public void Read(IReadOnlyList<OnlineKey> keys, byte[]?[] records)
    {
        // Batches usually ask one view for many entities: look the view up once per run of equal names.
        string? lastView = null;
        RecordTable<byte[]>? table = null;
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            if (!ReferenceEquals(key.View, lastView))
            {
                lastView = key.View;
                table = _views.Find(key.View);
            }

            records[i] = table?.Get(key.Entity);
        }
    }

    /// <summary>
    /// Makes <paramref name="record"/>, appended to the log as row <paramref name="seq"/>, the visible value; the caller
    /// has already decided last-write-wins.
    /// </summary>
    public void Publish(string view, EntityKey entity, byte[] record, long seq) => Table(view).Set(entity, record, seq);

    /// <summary>The table of one view, or null: for a writer that looks up many keys of one view in a row.</summary>
    public RecordTable<byte[]>? Find(string view) => _views.Find(view);

    /// <summary>The table of one view, created when missing: for a writer publishing many keys of one view in a row.</summary>
    public RecordTable<byte[]> Table(string view)
    {
        if (_views.Find(view) is { } table)
        {
            return table;
        }

        var capacity = _expected;
        _expected = 0;
        return _views.Add(view, capacity);
    }

    /// <summary>
    /// A row of the log, replayed in seq order: it replaces what memory holds unless that is of the same schema and
    /// strictly supersedes it (which a log written by the store never holds; the check is a guard, and on a tie the
    /// later row, as appended, stays). A row of another schema always replaces, as it did when it was written
    /// (<see cref="OnlineRecord.Replaces"/>), even with older times.
    /// </summary>
    public void Replay(string view, EntityKey entity, byte[] record, long seq)
    {
        var table = Table(view);
        if (!table.TryGet(entity, out var current, out _) || !KeepsAgainst(current, record))
        {
            table.Set(entity, record, seq);
        }
    }

    private static bool KeepsAgainst(byte[] current, byte[] row) =>
        OnlineRecord.SameSchema(current, row) && OnlineRecord.Supersedes(current, row);

    /// <summary>The seq of every record held: the log rows that are live, all others having been superseded.</summary>
    public long[] LiveSequences() => _views.LiveSequences();
}

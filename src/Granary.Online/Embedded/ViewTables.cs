using System.Collections.Concurrent;

namespace Granary.Online.Embedded;

/// <summary>
/// One <see cref="RecordTable{TValue}"/> per view, by name: the shape shared by the records' <see cref="RecordMemory"/>
/// and the states' <see cref="StateMemory"/>. Looking a view up is safe from any thread; tables are created and
/// cleared by the store's single writer.
/// </summary>
internal sealed class ViewTables<TValue>
    where TValue : class
{
    private readonly ConcurrentDictionary<string, RecordTable<TValue>> _views = new(StringComparer.Ordinal);

    /// <summary>Entries held, over all views.</summary>
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

    /// <summary>Forgets every view: after a teardown, before the log is replayed from its start.</summary>
    public void Clear() => _views.Clear();

    /// <summary>The table of one view, or null.</summary>
    public RecordTable<TValue>? Find(string view) => _views.TryGetValue(view, out var table) ? table : null;

    /// <summary>The table of one view, created with room for <paramref name="expected"/> entries when missing.</summary>
    public RecordTable<TValue> Add(string view, int expected) =>
        _views.GetOrAdd(view, static (_, expected) => new RecordTable<TValue>(expected), expected);

    /// <summary>The seq of every entry held: the log rows that are live, all others having been superseded.</summary>
    public long[] LiveSequences()
    {
        var seqs = new List<long>((int)Math.Min(int.MaxValue, Count));
        foreach (var view in _views)
        {
            view.Value.AddSequences(seqs);
        }

        return [.. seqs];
    }
}

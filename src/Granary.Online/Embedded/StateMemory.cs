using Granary.Core.Values;

namespace Granary.Online.Embedded;

/// <summary>
/// The embedded store's aggregate states in memory: one <see cref="RecordTable{TValue}"/> of <see cref="StoredState"/> per
/// stream view, beside the records' <see cref="RecordMemory"/> and fed by the same log (its rows with a version).
/// Readers never lock; only the store's single writer sets entries, after a commit or when it replays the log. The
/// seq kept with each state is that of the log row that wrote it: what compaction keeps.
/// </summary>
internal sealed class StateMemory
{
    private readonly ViewTables<StoredState> _views = new();

    /// <summary>States held, over all views.</summary>
    public long Count => _views.Count;

    /// <summary>Forgets every state: after a teardown, before the log is replayed from its start.</summary>
    public void Clear() => _views.Clear();

    /// <summary>Fills <paramref name="states"/> for <paramref name="keys"/> (default where none); no allocation.</summary>
    public void Read(IReadOnlyList<OnlineKey> keys, AggregateStateEntry[] states)
    {
        string? lastView = null;
        RecordTable<StoredState>? table = null;
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            if (!ReferenceEquals(key.View, lastView))
            {
                lastView = key.View;
                table = _views.Find(key.View);
            }

            states[i] = table?.Get(key.Entity) is { } stored ? new AggregateStateEntry(stored.State, stored.Version) : default;
        }
    }

    /// <summary>The table of one view, or null: for the writer checking versions.</summary>
    public RecordTable<StoredState>? Find(string view) => _views.Find(view);

    /// <summary>The table of one view, created when missing: for the writer publishing or replaying states.</summary>
    public RecordTable<StoredState> Table(string view) => _views.Find(view) ?? _views.Add(view, 0);

    /// <summary>The seq of every state held: the live state rows of the log.</summary>
    public long[] LiveSequences() => _views.LiveSequences();
}

using Microsoft.Data.Sqlite;

namespace Granary.Online.Embedded;

// Stream views' aggregate states, in the same file as the records (SqliteStateTable).
internal sealed partial class EmbeddedOnlineStore
{
    private SqliteStateTable? _state;

    /// <inheritdoc />
    public ValueTask ReadStatesAsync(IReadOnlyList<OnlineKey> keys, AggregateStateEntry[] states, CancellationToken cancellationToken = default)
    {
        OnlineStoreArguments.CheckStateRead(keys, states);
        var table = StateTable(cancellationToken);
        Guard(() =>
        {
            table.Read(keys, states);
            return 0;
        });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public Task<int> CompareAndSetStatesAsync(IReadOnlyList<AggregateStateWrite> writes, bool[] applied, CancellationToken cancellationToken = default)
    {
        OnlineStoreArguments.CheckStateWrites(writes, applied);
        var table = StateTable(cancellationToken);
        return Task.FromResult(writes.Count == 0 ? 0 : Guard(() => table.CompareAndSet(writes, applied)));
    }

    /// <inheritdoc />
    public Task<long?> GetStreamWatermarkAsync(string source, CancellationToken cancellationToken = default)
    {
        OnlineStoreArguments.CheckSource(source);
        var table = StateTable(cancellationToken);
        return Task.FromResult(Guard(() => table.GetWatermark(source)));
    }

    /// <inheritdoc />
    public Task AdvanceStreamWatermarkAsync(string source, long eventMicros, CancellationToken cancellationToken = default)
    {
        OnlineStoreArguments.CheckSource(source);
        var table = StateTable(cancellationToken);
        Guard(() =>
        {
            table.AdvanceWatermark(source, eventMicros);
            return 0;
        });
        return Task.CompletedTask;
    }

    /// <summary>The state table, opened (after the log, which creates its tables) on first use.</summary>
    private SqliteStateTable StateTable(CancellationToken cancellationToken)
    {
        EnsureOpen(cancellationToken);
        if (Volatile.Read(ref _state) is { } table)
        {
            return table;
        }

        lock (_gate)
        {
            Current();
            return _state ??= Guard(() => new SqliteStateTable(_path));
        }
    }
}

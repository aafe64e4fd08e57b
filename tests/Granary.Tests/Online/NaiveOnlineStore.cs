using Granary.Online;
using Granary.Core.Values;

namespace Granary.Tests.Online;

/// <summary>
/// A trivial in-memory <see cref="IOnlineStore"/>, only to check that <see cref="OnlineStoreContract"/> compiles and
/// passes for a store that does the obvious thing, one write after another, with the contract's checks in its order. Data lives in a <see cref="Data"/> object that outlives the store,
/// so a test can "reopen" a store over the same data.
/// </summary>
public sealed class NaiveOnlineStore(NaiveOnlineStore.Data data) : IOnlineStore
{
    private bool _disposed;

    public string Name => "naive";

    public Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        Check(cancellationToken);
        return Task.CompletedTask;
    }

    public Task<int> WriteAsync(IReadOnlyList<OnlineWrite> writes, CancellationToken cancellationToken = default)
    {
        OnlineStoreArguments.CheckWrites(writes);
        Check(cancellationToken);
        var changed = 0;
        lock (data)
        {
            foreach (var write in writes)
            {
                var key = new OnlineKey(write.View, write.Entity);
                if (!data.Records.TryGetValue(key, out var existing) || OnlineRecord.Replaces(write.Record, existing))
                {
                    data.Records[key] = write.Record.ToArray();
                    changed++;
                }
            }
        }

        return Task.FromResult(changed);
    }

    public ValueTask ReadAsync(IReadOnlyList<OnlineKey> keys, byte[]?[] records, CancellationToken cancellationToken = default)
    {
        OnlineStoreArguments.CheckRead(keys, records);
        Check(cancellationToken);
        lock (data)
        {
            for (var i = 0; i < keys.Count; i++)
            {
                records[i] = data.Records.TryGetValue(keys[i], out var record) ? record.ToArray() : null;
            }
        }

        return ValueTask.CompletedTask;
    }

    public Task<DateTimeOffset?> GetWatermarkAsync(string view, CancellationToken cancellationToken = default)
    {
        OnlineStoreArguments.CheckView(view);
        Check(cancellationToken);
        lock (data)
        {
            return Task.FromResult(data.Watermarks.TryGetValue(view, out var watermark) ? watermark : (DateTimeOffset?)null);
        }
    }

    public Task SetWatermarkAsync(string view, DateTimeOffset watermark, CancellationToken cancellationToken = default)
    {
        OnlineStoreArguments.CheckView(view);
        Check(cancellationToken);
        lock (data)
        {
            data.Watermarks[view] = watermark;
        }

        return Task.CompletedTask;
    }

    public Task TeardownAsync(CancellationToken cancellationToken = default)
    {
        Check(cancellationToken);
        lock (data)
        {
            data.Records.Clear();
            data.Watermarks.Clear();
        }

        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return ValueTask.CompletedTask;
    }

    private void Check(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>What the store holds; shared by every instance opened over it.</summary>
    public sealed class Data
    {
        public Dictionary<OnlineKey, byte[]> Records { get; } = [];

        public Dictionary<string, DateTimeOffset> Watermarks { get; } = new(StringComparer.Ordinal);
    }
}

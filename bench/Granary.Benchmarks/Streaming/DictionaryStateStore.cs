using Granary.Online;

namespace Granary.Benchmarks.Streaming;

/// <summary>
/// Aggregate states in a dictionary, for the breakdown case of <see cref="StreamIngestBenchmark"/> only: the
/// ingestor's own cost (grouping, state decode, apply, encode, compare-and-set bookkeeping) without a store's, so the
/// difference to the embedded store's case is the store. Single-threaded, not durable.
/// </summary>
internal sealed class DictionaryStateStore : IAggregateStateStore
{
    private readonly Dictionary<OnlineKey, AggregateStateEntry> _states = [];
    private readonly Dictionary<string, long> _watermarks = new(StringComparer.Ordinal);

    public ValueTask ReadStatesAsync(IReadOnlyList<OnlineKey> keys, AggregateStateEntry[] states, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            states[i] = _states.GetValueOrDefault(keys[i]);
        }

        return ValueTask.CompletedTask;
    }

    public Task<int> CompareAndSetStatesAsync(IReadOnlyList<AggregateStateWrite> writes, bool[] applied, CancellationToken cancellationToken = default)
    {
        var count = 0;
        for (var i = 0; i < writes.Count; i++)
        {
            var key = new OnlineKey(writes[i].View, writes[i].Entity);
            var version = _states.GetValueOrDefault(key).Version;
            applied[i] = version == writes[i].ExpectedVersion;
            if (applied[i])
            {
                _states[key] = new AggregateStateEntry(writes[i].State, version + 1);
                count++;
            }
        }

        return Task.FromResult(count);
    }

    public Task<long?> GetStreamWatermarkAsync(string source, CancellationToken cancellationToken = default) =>
        Task.FromResult(_watermarks.TryGetValue(source, out var micros) ? micros : (long?)null);

    public Task AdvanceStreamWatermarkAsync(string source, long eventMicros, CancellationToken cancellationToken = default)
    {
        _watermarks[source] = Math.Max(eventMicros, _watermarks.GetValueOrDefault(source, long.MinValue));
        return Task.CompletedTask;
    }
}

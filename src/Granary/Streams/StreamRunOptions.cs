namespace Granary.Streams;

/// <summary>How <see cref="FeatureStore.RunStreamsAsync(StreamRunOptions, CancellationToken)"/> consumes.</summary>
public sealed class StreamRunOptions
{
    /// <summary>The stream views whose sources to consume; null or empty for every stream view over a <c>redis_stream</c> or <c>nats</c> source.</summary>
    public IReadOnlyList<string>? Views { get; init; }

    /// <summary>
    /// This process's name in Redis consumer groups: unique among the processes sharing a group and stable across
    /// its restarts, so that a restarted process takes back its own pending entries at once. The host name when null.
    /// </summary>
    public string? ConsumerName { get; init; }

    /// <summary>The most messages applied as one batch (one offline append, one compare-and-set per key).</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>
    /// How long a delivered, unacknowledged message waits before another consumer of the group gets it (NATS'
    /// <c>ack_wait</c>, the idle time after which Redis entries are claimed): longer than the slowest batch.
    /// </summary>
    public TimeSpan RedeliverAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often <see cref="Summary"/> is called while running; it is also called once on stop.</summary>
    public TimeSpan SummaryInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Receives each source's counts every <see cref="SummaryInterval"/> and on stop; the host's log gets them either way.</summary>
    public Action<IReadOnlyList<StreamSourceCounts>>? Summary { get; init; }
}

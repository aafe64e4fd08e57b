namespace Granary.Streaming.Sources;

/// <summary>How a stream consumer reads, whichever its source.</summary>
internal sealed record StreamConsumerOptions
{
    /// <summary>
    /// This consumer's name in a Redis consumer group. Each process sharing a group needs its own, stable across its
    /// restarts, so that a restarted process takes back its own pending entries at once (the host name by default).
    /// NATS consumers share the source's durable and need no name of their own.
    /// </summary>
    public string ConsumerName { get; init; } = Environment.MachineName;

    /// <summary>The most messages handed to the handler at once.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>
    /// The longest wait for new messages when the source has none: Redis is polled (a blocking read would hold the
    /// shared connection), with waits that double up to this; a NATS fetch waits this long on the server.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How long a delivered, unacknowledged message waits before another consumer gets it: the NATS consumer's
    /// <c>ack_wait</c>, and the idle time after which a Redis consumer claims a dead consumer's pending entries.
    /// Longer than the slowest batch, or a slow consumer's messages are delivered twice.
    /// </summary>
    public TimeSpan RedeliverAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a Redis consumer looks for stale pending entries of other consumers to claim.</summary>
    public TimeSpan ClaimInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The wait before reading again after the source failed (a lost connection, a leader election).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The clock for every wait.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConsumerName))
        {
            throw new ArgumentException("ConsumerName cannot be empty.", nameof(ConsumerName));
        }

        if (BatchSize <= 0)
        {
            throw new ArgumentException($"BatchSize must be positive; it is {BatchSize}.", nameof(BatchSize));
        }

        foreach (var (name, value) in new[] { (nameof(PollInterval), PollInterval), (nameof(RedeliverAfter), RedeliverAfter), (nameof(ClaimInterval), ClaimInterval), (nameof(RetryDelay), RetryDelay) })
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentException($"{name} must be positive; it is {value}.", name);
            }
        }
    }
}

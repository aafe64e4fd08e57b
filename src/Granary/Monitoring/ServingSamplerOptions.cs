namespace Granary.Monitoring;

/// <summary>How the serving sampler queues and batches rows for the serving log.</summary>
/// <param name="QueueCapacity">Rows the queue holds before new ones are dropped.</param>
/// <param name="BatchSize">Rows written to the serving log at once at most.</param>
/// <param name="FlushInterval">How long a batch waits for more rows after its first one.</param>
internal sealed record ServingSamplerOptions(int QueueCapacity = 10_000, int BatchSize = 1_000, TimeSpan FlushInterval = default)
{
    public TimeSpan FlushInterval { get; init; } = FlushInterval == default ? TimeSpan.FromSeconds(10) : FlushInterval;
}

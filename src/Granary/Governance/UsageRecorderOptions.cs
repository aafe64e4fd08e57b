namespace Granary.Governance;

/// <summary>How automatic usage recording batches: <see cref="GranaryOptions"/>'s <c>Usage*</c> settings, checked.</summary>
internal sealed record UsageRecorderOptions
{
    public static readonly UsageRecorderOptions Default = new();

    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    public int BatchSize { get; init; } = 500;

    public string Environment { get; init; } = "production";

    public int QueueCapacity { get; init; } = 65_536;

    public static UsageRecorderOptions From(GranaryOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.UsageFlushInterval, TimeSpan.Zero, nameof(options.UsageFlushInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.UsageBatchSize, 1, nameof(options.UsageBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.UsageQueueCapacity, 1, nameof(options.UsageQueueCapacity));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.UsageEnvironment, nameof(options.UsageEnvironment));
        return new UsageRecorderOptions
        {
            FlushInterval = options.UsageFlushInterval,
            BatchSize = options.UsageBatchSize,
            Environment = CatalogFields.EnvironmentOf(options.UsageEnvironment, nameof(options.UsageEnvironment)),
            QueueCapacity = options.UsageQueueCapacity,
        };
    }
}

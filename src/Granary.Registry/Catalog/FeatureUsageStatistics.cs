namespace Granary.Registry.Catalog;

/// <summary>What the usage records of one catalog entry add up to.</summary>
public sealed record FeatureUsageStatistics(string FeatureName)
{
    public long TotalUsage { get; init; }

    public int UniqueModels { get; init; }

    /// <summary>The distinct environments, ordered by name.</summary>
    public IReadOnlyList<string> Environments { get; init; } = [];

    /// <summary>The distinct models, ordered by name (what a change's impact names).</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>Mean of the records that carry an importance; null when none does.</summary>
    public double? AvgImportance { get; init; }

    public double? AvgCorrelation { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }
}

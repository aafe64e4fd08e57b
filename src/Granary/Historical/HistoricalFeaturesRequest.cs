using Granary.Offline.Retrieval;

namespace Granary.Historical;

/// <summary>
/// What training data to build: entity rows (join keys, <c>event_timestamp</c>, labels) and the features to join to
/// each, as <c>view:feature</c> references or a feature service.
/// </summary>
public sealed record HistoricalFeaturesRequest
{
    /// <summary>The entity rows; every row appears once in the result, in order, with all its columns.</summary>
    public required EntityTable Entities { get; init; }

    /// <summary>Feature references (<c>view:feature</c>); or set <see cref="FeatureService"/>.</summary>
    public IReadOnlyList<string> Features { get; init; } = [];

    /// <summary>A feature service whose features to retrieve; or set <see cref="Features"/>.</summary>
    public string? FeatureService { get; init; }

    /// <summary>Name feature columns <c>view__feature</c>.</summary>
    public bool FullFeatureNames { get; init; }

    /// <summary>Ignore source rows created after the entity row's time (for sources that are backfilled late).</summary>
    public bool FilterByCreatedTimestamp { get; init; }
}

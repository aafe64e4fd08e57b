using Granary.OnlineServing;

namespace Granary.Monitoring;

/// <summary>One sampled served entity row of one view: what the serving log keeps to compare with later.</summary>
/// <param name="View">The feature view served.</param>
/// <param name="Entity">The join keys and their values.</param>
/// <param name="ServedAt">When it was served, from the store's <see cref="TimeProvider"/>.</param>
/// <param name="Values">Each served feature's value, in the view's schema order; null where nothing was served.</param>
/// <param name="Found">Whether each feature was found, aligned with <paramref name="Values"/>; null for a feature the request did not ask for.</param>
internal sealed record ServedRow(
    string View,
    IReadOnlyDictionary<string, object?> Entity,
    DateTimeOffset ServedAt,
    object?[] Values,
    bool?[] Found)
{
    /// <summary>The plan the row was served by: its join keys and schema type the serving log's columns.</summary>
    public OnlineViewPlan? Plan { get; init; }
}

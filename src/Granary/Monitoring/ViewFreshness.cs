using Granary.Core.Model;
using Granary.Quality.Freshness;

namespace Granary.Monitoring;

/// <summary>One view's freshness: its newest event written (materialized, pushed or ingested), its age now and its status.</summary>
/// <param name="Name">The feature view.</param>
/// <param name="NewestEvent">The newest event time written for the view; null when nothing has been.</param>
/// <param name="Age">How long ago <paramref name="NewestEvent"/> was, by the store's clock; null with it.</param>
/// <param name="Expectation">What the view declares (<c>freshness</c>), or <see cref="FreshnessExpectation.Default"/>.</param>
/// <param name="Status">Where the age falls against the expectation's thresholds.</param>
public sealed record ViewFreshness(string Name, DateTimeOffset? NewestEvent, TimeSpan? Age, FreshnessExpectation Expectation, FreshnessStatus Status)
{
    /// <summary>The status as the API spells it: <c>fresh</c>, <c>stale</c> or <c>very_stale</c>.</summary>
    public string StatusKey => Status.Key();
}

namespace Granary.Registry.Monitoring;

/// <summary>The newest event time written for a view (materialized or pushed), and when it last moved forward.</summary>
/// <param name="View">The feature view's name.</param>
/// <param name="NewestEvent">The newest event time of any row written for the view.</param>
/// <param name="RecordedAt">When <paramref name="NewestEvent"/> was last moved forward.</param>
public sealed record ViewNewestEvent(string View, DateTimeOffset NewestEvent, DateTimeOffset RecordedAt);

namespace Granary.Core.Model;

/// <summary>
/// What makes a <see cref="FeatureView"/> a stream feature view: its features are windowed aggregations of the
/// events of a push, <c>redis_stream</c> or <c>nats</c> source, kept fresh online as events arrive and computed
/// with the same semantics offline from the logged events.
/// </summary>
public sealed record StreamSettings
{
    /// <summary>The event column whose repeated value marks a redelivered event, counted once; null when events have no id.</summary>
    public string? EventIdField { get; init; }

    /// <summary>The hop of every window that does not name its own.</summary>
    public required TimeSpan Hop { get; init; }

    /// <summary>How far behind the newest event time seen from the source an event may be and still be applied.</summary>
    public TimeSpan AllowedLateness { get; init; }

    public required IReadOnlyList<StreamAggregation> Aggregations { get; init; }

    /// <summary>
    /// The event columns the aggregations read, with their types (taken from the source's batch source when the
    /// definitions are checked, or declared); the view's <see cref="FeatureView.Schema"/> holds the aggregated features.
    /// </summary>
    public IReadOnlyList<Field> Inputs { get; init; } = [];
}

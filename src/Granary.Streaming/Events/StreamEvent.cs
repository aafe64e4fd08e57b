using Granary.Core.Values;

namespace Granary.Streaming.Events;

/// <summary>
/// One event as a stream view's aggregations take it, whichever way it arrived (push, Redis Streams, NATS): the
/// entity it is about, its event time, its values of the plan's <see cref="Aggregation.AggregationPlan.Columns"/> in
/// that order, and its id when the view names an <c>event_id_field</c>.
/// </summary>
internal readonly record struct StreamEvent(EntityKey Entity, long EventMicros, FeatureValue[] Columns, string? EventId = null);

namespace Granary.Streaming.Aggregation;

/// <summary>
/// One entry of a stream view's <c>aggregations:</c>: an aggregation over some windows, and optionally the feature's
/// own name (allowed when it has one window and one output).
/// </summary>
internal sealed record AggregationSpec(Aggregation Aggregation, IReadOnlyList<Window> Windows, string? Name = null);

namespace Granary.Core.Model;

/// <summary>
/// One entry of a stream feature view's <c>aggregations:</c>: a function over a column (none for <c>count</c> of
/// events) and the windows it is computed over. Each window and output is one feature, named
/// <c>{function}_{column}_{window}</c> unless <see cref="Name"/> names the only one.
/// </summary>
public sealed record StreamAggregation
{
    /// <summary>
    /// The function as written: <c>count</c>, <c>sum</c>, <c>mean</c>, <c>min</c>, <c>max</c>, <c>variance</c>,
    /// <c>stddev</c>, <c>first</c>, <c>last</c>, <c>last_k</c>, <c>approx_count_distinct</c> or <c>approx_percentile</c>.
    /// </summary>
    public required string Function { get; init; }

    /// <summary>The event column aggregated; null for <c>count</c> of events.</summary>
    public string? Column { get; init; }

    public required IReadOnlyList<StreamWindow> Windows { get; init; }

    /// <summary>How many values <c>last_k</c> keeps; 0 for other functions.</summary>
    public int K { get; init; }

    /// <summary>The percentiles (0-100) <c>approx_percentile</c> answers; empty for other functions.</summary>
    public IReadOnlyList<double> Percentiles { get; init; } = [];

    /// <summary>The feature's own name, allowed when the aggregation has one window and one output.</summary>
    public string? Name { get; init; }
}

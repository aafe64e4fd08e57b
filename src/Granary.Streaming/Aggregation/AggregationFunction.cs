namespace Granary.Streaming.Aggregation;

/// <summary>
/// The functions a stream feature view aggregates with. Each keeps a partial aggregate (an intermediate
/// representation) that events update and that merges with another of its kind, so a window's value is the merge of
/// the tiles it covers, computed the same way however the events were split between tiles, consumers or processes.
/// </summary>
internal enum AggregationFunction
{
    /// <summary>The number of events (no column), or of non-null values of a column.</summary>
    Count,

    Sum,

    Mean,

    /// <summary>Exact: tiles are merged, never subtracted.</summary>
    Min,

    /// <inheritdoc cref="Min"/>
    Max,

    /// <summary>The sample variance (divides by n - 1), as SQL's <c>var_samp</c>; null below two values.</summary>
    Variance,

    /// <summary>The sample standard deviation, as SQL's <c>stddev_samp</c>; null below two values.</summary>
    Stddev,

    /// <summary>The value of the earliest event (ties: the smallest value).</summary>
    First,

    /// <summary>The value of the newest event (ties: the largest value).</summary>
    Last,

    /// <summary>The values of the k newest events, newest first (ties: the larger value first).</summary>
    LastK,

    /// <summary>A HyperLogLog estimate of the number of distinct values; exact up to <see cref="HyperLogLog.SparseLimit"/>.</summary>
    ApproxCountDistinct,

    /// <summary>t-digest estimates of percentiles of a numeric column.</summary>
    ApproxPercentile,
}

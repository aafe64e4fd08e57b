namespace Granary.Streaming.Aggregation;

/// <summary>
/// The lifetime state one aggregation keeps (for its <c>lifetime</c> window), and its <see cref="Identity"/> in stored
/// state, as <see cref="SeriesPlan"/> names a series of tiles.
/// </summary>
internal sealed record LifetimePlan(int AggregationIndex, ulong Identity);

using Granary.Core.Model;

namespace Granary.Streaming.Aggregation;

/// <summary>
/// A feature a stream view serves: one output of one aggregation over one window, read from a series of tiles
/// (<see cref="SeriesIndex"/>) or, for <c>lifetime</c>, from the aggregation's lifetime state (<see cref="LifetimeIndex"/>).
/// </summary>
internal sealed record StreamFeature(string Name, FeatureType Type, int AggregationIndex, Window Window, int Output, int SeriesIndex, int LifetimeIndex);

namespace Granary.Streaming.Aggregation;

/// <summary>
/// Tiles one aggregation keeps at one hop, and the largest window they serve (how far back they are kept).
/// <see cref="Identity"/> names the pair in stored state, so state written under one plan is read under another that
/// shares it (an aggregation added to a live view starts empty; the others keep their tiles).
/// </summary>
internal sealed record SeriesPlan(int AggregationIndex, long HopMicros, long LongestWindowMicros, ulong Identity);

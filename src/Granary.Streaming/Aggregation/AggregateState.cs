using Granary.Core.Values;

namespace Granary.Streaming.Aggregation;

/// <summary>
/// A partial aggregate (the intermediate representation of one function over some events): events update it, and it
/// merges with another of the same aggregation, so a window's value is the merge of the tiles it covers, whichever
/// tile, consumer or process saw which event. Every implementation obeys: merging states built from two sets of
/// events gives the state built from their union (exactly, or within a sketch's documented error).
/// </summary>
internal abstract class AggregateState
{
    /// <summary>Adds one event's non-null value (for <c>count</c> without a column, any value).</summary>
    public abstract void Update(in FeatureValue value, long eventMicros);

    /// <summary>Adds the events <paramref name="other"/> holds; it is a state of the same aggregation and is left as it was.</summary>
    public abstract void Merge(AggregateState other);

    /// <summary>The value of output <paramref name="output"/> (0, or the percentile's index); a typed null when no value was added.</summary>
    public abstract FeatureValue Result(int output);

    /// <summary>Writes the state in its stored form, read back by the aggregation's <see cref="Aggregation.Read"/>.</summary>
    public abstract void Write(StateWriter writer);
}

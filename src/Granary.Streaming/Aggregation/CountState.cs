using Granary.Core.Values;

namespace Granary.Streaming.Aggregation;

internal sealed class CountState : AggregateState
{
    public long Count { get; private set; }

    public override void Update(in FeatureValue value, long eventMicros) => Count++;

    public override void Merge(AggregateState other) => Count += ((CountState)other).Count;

    public override FeatureValue Result(int output) => FeatureValue.Int64(Count);

    public override void Write(StateWriter writer) => writer.WriteInt64(Count);

    public static CountState Read(ref StateReader reader) => new() { Count = reader.ReadInt64() };
}

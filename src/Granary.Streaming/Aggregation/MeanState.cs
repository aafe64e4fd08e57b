using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.Streaming.Aggregation;

/// <summary>The mean as a count and a compensated sum, merged by adding both.</summary>
internal sealed class MeanState : AggregateState
{
    private long _count;
    private CompensatedSum _sum;

    public override void Update(in FeatureValue value, long eventMicros)
    {
        _count++;
        _sum.Add(ScalarValues.ToDouble(value));
    }

    public override void Merge(AggregateState other)
    {
        var o = (MeanState)other;
        _count += o._count;
        _sum.Add(o._sum);
    }

    public override FeatureValue Result(int output) =>
        _count == 0 ? FeatureValue.Null(FeatureType.Float64) : FeatureValue.Float64(_sum.Value / _count);

    public override void Write(StateWriter writer)
    {
        writer.WriteInt64(_count);
        _sum.Write(writer);
    }

    public static MeanState Read(ref StateReader reader) => new() { _count = reader.ReadInt64(), _sum = CompensatedSum.Read(ref reader) };
}

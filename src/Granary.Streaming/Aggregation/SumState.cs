using Granary.Core.Values;

namespace Granary.Streaming.Aggregation;

/// <summary>A sum of integers (int64, wrapping as SQL's BIGINT arithmetic would overflow) or of floats (compensated).</summary>
internal sealed class SumState(bool integers) : AggregateState
{
    private long _count;
    private long _integerSum;
    private CompensatedSum _floatSum;

    public override void Update(in FeatureValue value, long eventMicros)
    {
        _count++;
        if (integers)
        {
            _integerSum = unchecked(_integerSum + (value.Type == Core.Model.FeatureType.Int32 ? value.AsInt32() : value.AsInt64()));
        }
        else
        {
            _floatSum.Add(ScalarValues.ToDouble(value));
        }
    }

    public override void Merge(AggregateState other)
    {
        var o = (SumState)other;
        _count += o._count;
        _integerSum = unchecked(_integerSum + o._integerSum);
        _floatSum.Add(o._floatSum);
    }

    public override FeatureValue Result(int output) => _count == 0
        ? FeatureValue.Null(integers ? Core.Model.FeatureType.Int64 : Core.Model.FeatureType.Float64)
        : integers ? FeatureValue.Int64(_integerSum) : FeatureValue.Float64(_floatSum.Value);

    public override void Write(StateWriter writer)
    {
        writer.WriteInt64(_count);
        if (integers)
        {
            writer.WriteInt64(_integerSum);
        }
        else
        {
            _floatSum.Write(writer);
        }
    }

    public static SumState Read(ref StateReader reader, bool integers)
    {
        var state = new SumState(integers) { _count = reader.ReadInt64() };
        if (integers)
        {
            state._integerSum = reader.ReadInt64();
        }
        else
        {
            state._floatSum = CompensatedSum.Read(ref reader);
        }

        return state;
    }
}

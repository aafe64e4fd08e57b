using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.Streaming.Aggregation;

/// <summary>
/// Count, mean and the sum of squared deviations (Welford's update, Chan's merge), which stay accurate where
/// sum-of-squares minus square-of-sum cancels. Reports the sample variance or its square root; null below two values.
/// </summary>
internal sealed class VarianceState(bool standardDeviation) : AggregateState
{
    private long _count;
    private double _mean;
    private double _m2;

    public override void Update(in FeatureValue value, long eventMicros)
    {
        var x = ScalarValues.ToDouble(value);
        _count++;
        var delta = x - _mean;
        _mean += delta / _count;
        _m2 += delta * (x - _mean);
    }

    public override void Merge(AggregateState other)
    {
        var o = (VarianceState)other;
        if (o._count == 0)
        {
            return;
        }

        if (_count == 0)
        {
            (_count, _mean, _m2) = (o._count, o._mean, o._m2);
            return;
        }

        var count = _count + o._count;
        var delta = o._mean - _mean;
        _mean += delta * o._count / count;
        _m2 += o._m2 + delta * delta * ((double)_count * o._count / count);
        _count = count;
    }

    public override FeatureValue Result(int output)
    {
        if (_count < 2)
        {
            return FeatureValue.Null(FeatureType.Float64);
        }

        var variance = Math.Max(0, _m2 / (_count - 1));
        return FeatureValue.Float64(standardDeviation ? Math.Sqrt(variance) : variance);
    }

    public override void Write(StateWriter writer)
    {
        writer.WriteInt64(_count);
        writer.WriteDouble(_mean);
        writer.WriteDouble(_m2);
    }

    public static VarianceState Read(ref StateReader reader, bool standardDeviation) =>
        new(standardDeviation) { _count = reader.ReadInt64(), _mean = reader.ReadDouble(), _m2 = reader.ReadDouble() };
}

namespace Granary.Streaming.Aggregation;

/// <summary>
/// A double sum with Neumaier's compensation: the rounding error of each addition is carried beside the sum, so the
/// total barely depends on the order values arrive or tiles merge in (the offline engine sums in its own order).
/// </summary>
internal struct CompensatedSum
{
    private double _sum;
    private double _compensation;

    public readonly double Value => _sum + _compensation;

    public void Add(double value)
    {
        var t = _sum + value;
        _compensation += Math.Abs(_sum) >= Math.Abs(value) ? (_sum - t) + value : (value - t) + _sum;
        _sum = t;
    }

    public void Add(in CompensatedSum other)
    {
        Add(other._sum);
        _compensation += other._compensation;
    }

    public readonly void Write(StateWriter writer)
    {
        writer.WriteDouble(_sum);
        writer.WriteDouble(_compensation);
    }

    public static CompensatedSum Read(ref StateReader reader) => new() { _sum = reader.ReadDouble(), _compensation = reader.ReadDouble() };
}

using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.Streaming.Aggregation;

/// <summary>
/// The value of the earliest (<c>first</c>) or newest (<c>last</c>) event. Events at the same instant are ordered by
/// value (first takes the smallest, last the largest), so the answer never depends on arrival order.
/// </summary>
internal sealed class PositionalState(FeatureType type, bool newest) : AggregateState
{
    private bool _has;
    private TimedValue _chosen;

    public override void Update(in FeatureValue value, long eventMicros)
    {
        var candidate = new TimedValue(eventMicros, value);
        if (!_has || Before(candidate, _chosen))
        {
            _chosen = candidate;
            _has = true;
        }
    }

    public override void Merge(AggregateState other)
    {
        var o = (PositionalState)other;
        if (o._has)
        {
            Update(o._chosen.Value, o._chosen.EventMicros);
        }
    }

    public override FeatureValue Result(int output) => _has ? _chosen.Value : FeatureValue.Null(type);

    public override void Write(StateWriter writer)
    {
        writer.WriteByte(_has ? (byte)1 : (byte)0);
        if (_has)
        {
            writer.WriteInt64(_chosen.EventMicros);
            writer.WriteValue(_chosen.Value);
        }
    }

    public static PositionalState Read(ref StateReader reader, FeatureType type, bool newest)
    {
        var state = new PositionalState(type, newest);
        if (reader.ReadByte() != 0)
        {
            var micros = reader.ReadInt64();
            state._chosen = new TimedValue(micros, reader.ReadValue(type));
            state._has = true;
        }

        return state;
    }

    /// <summary>Whether <paramref name="candidate"/> is chosen over <paramref name="current"/>.</summary>
    private bool Before(TimedValue candidate, TimedValue current)
    {
        var order = TimedValue.NewestFirst(candidate, current);
        return newest ? order < 0 : order > 0;
    }
}

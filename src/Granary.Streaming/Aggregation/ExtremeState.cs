using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.Streaming.Aggregation;

/// <summary>The smallest or largest value (<see cref="ScalarValues.Compare"/>), exact: tiles are only ever merged.</summary>
internal sealed class ExtremeState(FeatureType type, bool largest) : AggregateState
{
    private bool _has;
    private FeatureValue _best;

    public override void Update(in FeatureValue value, long eventMicros)
    {
        if (!_has || Better(value, _best))
        {
            _best = value;
            _has = true;
        }
    }

    public override void Merge(AggregateState other)
    {
        var o = (ExtremeState)other;
        if (o._has)
        {
            Update(o._best, 0);
        }
    }

    public override FeatureValue Result(int output) => _has ? _best : FeatureValue.Null(type);

    public override void Write(StateWriter writer)
    {
        writer.WriteByte(_has ? (byte)1 : (byte)0);
        if (_has)
        {
            writer.WriteValue(_best);
        }
    }

    public static ExtremeState Read(ref StateReader reader, FeatureType type, bool largest)
    {
        var state = new ExtremeState(type, largest);
        if (reader.ReadByte() != 0)
        {
            state._best = reader.ReadValue(type);
            state._has = true;
        }

        return state;
    }

    private bool Better(in FeatureValue candidate, in FeatureValue current)
    {
        var order = ScalarValues.Compare(candidate, current);
        return largest ? order > 0 : order < 0;
    }
}

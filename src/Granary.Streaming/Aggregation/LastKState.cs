using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.Streaming.Aggregation;

/// <summary>
/// The values of the k newest events, newest first (<see cref="TimedValue.NewestFirst"/>): a sorted array of at most k
/// entries, so a key's state is bounded by k whatever the event rate.
/// </summary>
internal sealed class LastKState(FeatureType type, int k) : AggregateState
{
    private readonly TimedValue[] _newest = new TimedValue[k];
    private int _count;

    public override void Update(in FeatureValue value, long eventMicros) => Insert(new TimedValue(eventMicros, value));

    public override void Merge(AggregateState other)
    {
        var o = (LastKState)other;
        for (var i = 0; i < o._count; i++)
        {
            if (!Insert(o._newest[i]))
            {
                break; // o's later entries are older still.
            }
        }
    }

    public override FeatureValue Result(int output)
    {
        if (_count == 0)
        {
            return FeatureValue.Null(type.AsList());
        }

        var values = new FeatureValue[_count];
        for (var i = 0; i < _count; i++)
        {
            values[i] = _newest[i].Value;
        }

        return ListValues.Of(type, values);
    }

    public override void Write(StateWriter writer)
    {
        writer.WriteLength(_count);
        for (var i = 0; i < _count; i++)
        {
            writer.WriteInt64(_newest[i].EventMicros);
            writer.WriteValue(_newest[i].Value);
        }
    }

    public static LastKState Read(ref StateReader reader, FeatureType type, int k)
    {
        var state = new LastKState(type, k);
        var count = reader.ReadLength();
        for (var i = 0; i < count; i++)
        {
            var micros = reader.ReadInt64();
            state.Insert(new TimedValue(micros, reader.ReadValue(type)));
        }

        return state;
    }

    /// <summary>Inserts in order; false when the entry is older than all of a full array's (and so not kept).</summary>
    private bool Insert(TimedValue entry)
    {
        var position = _count;
        while (position > 0 && TimedValue.NewestFirst(entry, _newest[position - 1]) < 0)
        {
            position--;
        }

        if (position == _newest.Length)
        {
            return false;
        }

        var last = Math.Min(_count, _newest.Length - 1);
        Array.Copy(_newest, position, _newest, position + 1, last - position);
        _newest[position] = entry;
        _count = Math.Min(_count + 1, _newest.Length);
        return true;
    }
}

using Granary.Core.Values;

namespace Granary.Streaming.Aggregation;

/// <summary>
/// One aggregation's partial aggregates in tiles of one hop, for one key: only tiles that saw an event exist, kept
/// sorted by start, so a key's memory is bounded by both its events and (after <see cref="Prune"/>) the largest
/// window over the hop. Events mostly arrive in time order, so an update is usually to the last tile.
/// </summary>
internal sealed class TileSeries(Aggregation aggregation, long hopMicros)
{
    private long[] _starts = new long[2];
    private AggregateState[] _states = new AggregateState[2];
    private int _count;

    public Aggregation Aggregation { get; } = aggregation;

    public long HopMicros { get; } = hopMicros;

    /// <summary>Tiles held now.</summary>
    public int TileCount => _count;

    public void Update(in FeatureValue value, long eventMicros) => TileAt(Tiles.StartOf(eventMicros, HopMicros)).Update(value, eventMicros);

    /// <summary>
    /// Merges into <paramref name="into"/> every tile the window holds at <paramref name="t"/>: from
    /// <see cref="Window.StartAt"/> to the tile holding <paramref name="t"/>, whole (events are never later than the
    /// instant they are read at; see <see cref="KeyAggregates.ValuesAt"/>).
    /// </summary>
    public void MergeWindow(long t, Window window, AggregateState into)
    {
        var start = window.StartAt(t);
        for (var i = FirstAtOrAfter(start); i < _count && _starts[i] <= t; i++)
        {
            into.Merge(_states[i]);
        }
    }

    /// <summary>Drops the tiles that start before <paramref name="keepFrom"/>: no window read from now on holds them.</summary>
    public void Prune(long keepFrom)
    {
        var first = FirstAtOrAfter(keepFrom);
        if (first == 0)
        {
            return;
        }

        Array.Copy(_starts, first, _starts, 0, _count - first);
        Array.Copy(_states, first, _states, 0, _count - first);
        Array.Clear(_states, _count - first, first);
        _count -= first;
    }

    /// <summary>Adds <paramref name="other"/>'s tiles (of the same aggregation and hop), tile by tile.</summary>
    public void Merge(TileSeries other)
    {
        for (var i = 0; i < other._count; i++)
        {
            TileAt(other._starts[i]).Merge(other._states[i]);
        }
    }

    public void Write(StateWriter writer)
    {
        writer.WriteLength(_count);
        for (var i = 0; i < _count; i++)
        {
            writer.WriteInt64(_starts[i]);
            _states[i].Write(writer);
        }
    }

    public static TileSeries Read(ref StateReader reader, Aggregation aggregation, long hopMicros)
    {
        var series = new TileSeries(aggregation, hopMicros);
        var count = reader.ReadLength();
        for (var i = 0; i < count; i++)
        {
            var start = reader.ReadInt64();
            if (i > 0 && start <= series._starts[i - 1])
            {
                throw new FormatException("A stored series of tiles is out of order.");
            }

            series.Append(start, aggregation.Read(ref reader));
        }

        return series;
    }

    private AggregateState TileAt(long start)
    {
        if (_count > 0 && _starts[_count - 1] == start)
        {
            return _states[_count - 1];
        }

        var index = _count > 0 && _starts[_count - 1] < start ? ~_count : Array.BinarySearch(_starts, 0, _count, start);
        if (index >= 0)
        {
            return _states[index];
        }

        index = ~index;
        var state = Aggregation.CreateState();
        Insert(index, start, state);
        return state;
    }

    private void Append(long start, AggregateState state) => Insert(_count, start, state);

    private void Insert(int index, long start, AggregateState state)
    {
        if (_count == _starts.Length)
        {
            Array.Resize(ref _starts, _count * 2);
            Array.Resize(ref _states, _count * 2);
        }

        Array.Copy(_starts, index, _starts, index + 1, _count - index);
        Array.Copy(_states, index, _states, index + 1, _count - index);
        _starts[index] = start;
        _states[index] = state;
        _count++;
    }

    private int FirstAtOrAfter(long start)
    {
        var index = Array.BinarySearch(_starts, 0, _count, start);
        return index >= 0 ? index : ~index;
    }
}

using System.Buffers;
using Granary.Core.Values;

namespace Granary.Streaming.Aggregation;

/// <summary>
/// Everything one entity key of a stream view keeps: a series of tiles per aggregation and hop, a lifetime state per
/// aggregation with a lifetime window, and the newest event's time. Reads answer at an instant no earlier than the
/// newest event counted (an event stamped later than the reading clock counts from when it arrives), which is the
/// online path's case: the offline computation at the same instant sees the same events.
/// </summary>
internal sealed class KeyAggregates
{
    /// <summary>The stored form's version; a change of form is a new number, never a silent reinterpretation.</summary>
    private const byte FormVersion = 1;

    private readonly AggregationPlan _plan;
    private readonly TileSeries[] _series;
    private readonly AggregateState?[] _lifetime;

    public KeyAggregates(AggregationPlan plan)
    {
        _plan = plan;
        _series = new TileSeries[plan.Series.Count];
        for (var i = 0; i < _series.Length; i++)
        {
            var s = plan.Series[i];
            _series[i] = new TileSeries(plan.Aggregations[s.AggregationIndex], s.HopMicros);
        }

        _lifetime = new AggregateState?[plan.Lifetimes.Count];
    }

    /// <summary>The newest event counted, or <see cref="long.MinValue"/> before any: the served values' event time.</summary>
    public long NewestEventMicros { get; private set; } = long.MinValue;

    /// <summary>Tiles held over every series: what a key costs, bounded by its windows over their hops.</summary>
    public int TileCount
    {
        get
        {
            var count = 0;
            foreach (var series in _series)
            {
                count += series.TileCount;
            }

            return count;
        }
    }

    /// <summary>
    /// Counts one event: <paramref name="columns"/> holds its values in <see cref="AggregationPlan.Columns"/> order.
    /// A null value is left out of its column's aggregations (as SQL aggregates leave nulls out); <c>count</c> without
    /// a column counts the event. Tiles no window can reach any more are dropped.
    /// </summary>
    public void Apply(ReadOnlySpan<FeatureValue> columns, long eventMicros)
    {
        if (columns.Length != _plan.Columns.Count)
        {
            throw new ArgumentException($"An event carries {_plan.Columns.Count} columns here, not {columns.Length}.", nameof(columns));
        }

        var newest = Math.Max(NewestEventMicros, eventMicros);
        for (var a = 0; a < _plan.Aggregations.Count; a++)
        {
            var column = _plan.ColumnOf[a];
            var value = column < 0 ? default : columns[column];
            if (column >= 0 && value.IsNull)
            {
                continue;
            }

            var lifetime = _plan.LifetimeOf[a];
            if (lifetime >= 0)
            {
                (_lifetime[lifetime] ??= _plan.Aggregations[a].CreateState()).Update(value, eventMicros);
            }
        }

        for (var s = 0; s < _series.Length; s++)
        {
            var plan = _plan.Series[s];
            var column = _plan.ColumnOf[plan.AggregationIndex];
            var value = column < 0 ? default : columns[column];
            if (column >= 0 && value.IsNull)
            {
                continue;
            }

            var keepFrom = Tiles.StartOf(newest - plan.LongestWindowMicros, plan.HopMicros);
            if (eventMicros >= keepFrom)
            {
                _series[s].Update(value, eventMicros);
            }

            _series[s].Prune(keepFrom);
        }

        NewestEventMicros = newest;
    }

    /// <summary>
    /// Every feature's value at <paramref name="t"/> (or at the newest event, if that is later), in
    /// <see cref="AggregationPlan.Features"/> order: <c>count</c> 0 and null for the other functions where a window
    /// holds no event.
    /// </summary>
    public void ValuesAt(long t, Span<FeatureValue> values)
    {
        if (values.Length != _plan.Features.Count)
        {
            throw new ArgumentException($"This view has {_plan.Features.Count} features, not {values.Length}.", nameof(values));
        }

        t = Math.Max(t, NewestEventMicros);
        AggregateState? merged = null;
        StreamFeature? mergedFor = null;
        for (var f = 0; f < values.Length; f++)
        {
            var feature = _plan.Features[f];
            var aggregation = _plan.Aggregations[feature.AggregationIndex];
            if (feature.LifetimeIndex >= 0)
            {
                var state = _lifetime[feature.LifetimeIndex] ?? aggregation.CreateState();
                values[f] = state.Result(feature.Output);
                continue;
            }

            // The outputs of one aggregation over one window (percentiles) come from one merge.
            if (mergedFor is null || mergedFor.SeriesIndex != feature.SeriesIndex || mergedFor.Window != feature.Window)
            {
                merged = aggregation.CreateState();
                _series[feature.SeriesIndex].MergeWindow(t, feature.Window, merged);
                mergedFor = feature;
            }

            values[f] = merged!.Result(feature.Output);
        }
    }

    /// <summary>Adds another state of the same key and plan (events another consumer counted), tile by tile.</summary>
    public void Merge(KeyAggregates other)
    {
        if (!ReferenceEquals(other._plan, _plan))
        {
            throw new ArgumentException("Only states of one plan merge.", nameof(other));
        }

        for (var s = 0; s < _series.Length; s++)
        {
            _series[s].Merge(other._series[s]);
        }

        for (var l = 0; l < _lifetime.Length; l++)
        {
            if (other._lifetime[l] is { } state)
            {
                var a = _plan.Lifetimes[l].AggregationIndex;
                (_lifetime[l] ??= _plan.Aggregations[a].CreateState()).Merge(state);
            }
        }

        NewestEventMicros = Math.Max(NewestEventMicros, other.NewestEventMicros);
        for (var s = 0; s < _series.Length; s++)
        {
            var plan = _plan.Series[s];
            _series[s].Prune(Tiles.StartOf(NewestEventMicros - plan.LongestWindowMicros, plan.HopMicros));
        }
    }

    /// <summary>
    /// The stored form: version, newest event, then each series and lifetime state as a length-prefixed block under
    /// its identity, so a plan that adds or removes aggregations reads the blocks of those it keeps and skips the rest.
    /// </summary>
    public void Write(StateWriter writer)
    {
        var block = StateScratch.Rent(StateScratch.Block);
        writer.WriteByte(FormVersion);
        writer.WriteInt64(NewestEventMicros);
        writer.WriteLength(_series.Length);
        for (var s = 0; s < _series.Length; s++)
        {
            block.ResetWrittenCount();
            _series[s].Write(new StateWriter(block));
            writer.WriteInt64((long)_plan.Series[s].Identity);
            writer.WriteBytes(block.WrittenSpan);
        }

        var present = 0;
        foreach (var state in _lifetime)
        {
            present += state is null ? 0 : 1;
        }

        writer.WriteLength(present);
        for (var l = 0; l < _lifetime.Length; l++)
        {
            if (_lifetime[l] is { } state)
            {
                block.ResetWrittenCount();
                state.Write(new StateWriter(block));
                writer.WriteInt64((long)_plan.Lifetimes[l].Identity);
                writer.WriteBytes(block.WrittenSpan);
            }
        }
    }

    /// <summary>Reads a stored state under <paramref name="plan"/>; blocks of aggregations the plan no longer has are skipped.</summary>
    public static KeyAggregates Read(ReadOnlySpan<byte> stored, AggregationPlan plan)
    {
        var reader = new StateReader(stored);
        var version = reader.ReadByte();
        if (version != FormVersion)
        {
            throw new FormatException($"A stored stream state has form version {version}; this version of Granary reads {FormVersion}.");
        }

        var key = new KeyAggregates(plan) { NewestEventMicros = reader.ReadInt64() };
        var seriesCount = reader.ReadLength();
        for (var i = 0; i < seriesCount; i++)
        {
            var identity = (ulong)reader.ReadInt64();
            var block = new StateReader(reader.ReadBytes());
            var s = FindSeries(plan, identity);
            if (s >= 0)
            {
                var planned = plan.Series[s];
                key._series[s] = TileSeries.Read(ref block, plan.Aggregations[planned.AggregationIndex], planned.HopMicros);
                EnsureEnd(block);
            }
        }

        var lifetimeCount = reader.ReadLength();
        for (var i = 0; i < lifetimeCount; i++)
        {
            var identity = (ulong)reader.ReadInt64();
            var block = new StateReader(reader.ReadBytes());
            var l = FindLifetime(plan, identity);
            if (l >= 0)
            {
                key._lifetime[l] = plan.Aggregations[plan.Lifetimes[l].AggregationIndex].Read(ref block);
                EnsureEnd(block);
            }
        }

        EnsureEnd(reader);
        return key;
    }

    private static void EnsureEnd(StateReader reader)
    {
        if (!reader.AtEnd)
        {
            throw new FormatException("A stored stream state has bytes after its end.");
        }
    }

    private static int FindSeries(AggregationPlan plan, ulong identity)
    {
        for (var s = 0; s < plan.Series.Count; s++)
        {
            if (plan.Series[s].Identity == identity)
            {
                return s;
            }
        }

        return -1;
    }

    private static int FindLifetime(AggregationPlan plan, ulong identity)
    {
        for (var l = 0; l < plan.Lifetimes.Count; l++)
        {
            if (plan.Lifetimes[l].Identity == identity)
            {
                return l;
            }
        }

        return -1;
    }
}

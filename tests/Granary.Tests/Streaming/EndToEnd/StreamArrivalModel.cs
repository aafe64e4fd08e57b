namespace Granary.Tests.Streaming.EndToEnd;

/// <summary>
/// What the pushes leave, worked out the slow way from the rules in docs/streaming.md: an event is late when the
/// newest event time pushed so far (its own included) is more than the allowed lateness after it; the others are
/// logged and, per key, counted once per id (<see cref="NaiveWindowAggregation.CountedOnce"/>).
/// </summary>
internal sealed class StreamArrivalModel(TimeSpan lateness)
{
    private readonly long _latenessMicros = (long)lateness.TotalMicroseconds;
    private readonly List<Arrival> _accepted = [];

    /// <summary>The newest event time pushed, late events included (they are older than it anyway).</summary>
    public long NewestMicros { get; private set; } = long.MinValue;

    /// <summary>Takes one push; returns how many of its rows are late.</summary>
    public int Push(IReadOnlyList<Arrival> rows)
    {
        var late = 0;
        foreach (var row in rows)
        {
            NewestMicros = Math.Max(NewestMicros, row.Event.Micros);
            if (NewestMicros - row.Event.Micros > _latenessMicros)
            {
                late++;
            }
            else
            {
                _accepted.Add(row);
            }
        }

        return late;
    }

    /// <summary>The events <paramref name="key"/> counts, in arrival order.</summary>
    public List<Arrival> Counted(int key) =>
        NaiveWindowAggregation.CountedOnce(_accepted, a => a.Key, a => a.Id).Where(a => a.Key == key).ToList();
}

using Granary.Core.Time;

namespace Granary.Streaming.Aggregation;

/// <summary>
/// A sliding window and its hop, in microseconds. The value at instant <c>t</c> aggregates the events <c>e</c> with
/// <c>floor((t - W) / h) * h &lt;= e.ts &lt;= t</c>: the newest events count at once and the old edge moves in steps of
/// the hop <c>h</c>, so a window is the tiles of width <c>h</c> from its start to the tile holding <c>t</c>. A
/// <see cref="Lifetime"/> window has neither edge nor hop: every event counts.
/// </summary>
internal readonly record struct Window
{
    private Window(long lengthMicros, long hopMicros)
    {
        LengthMicros = lengthMicros;
        HopMicros = hopMicros;
    }

    /// <summary>Every event ever seen.</summary>
    public static Window Lifetime { get; } = new(0, 0);

    /// <summary>The window's length <c>W</c>; 0 for <see cref="Lifetime"/>.</summary>
    public long LengthMicros { get; }

    /// <summary>The hop <c>h</c>, the step by which the old edge moves; 0 for <see cref="Lifetime"/>.</summary>
    public long HopMicros { get; }

    public bool IsLifetime => LengthMicros == 0;

    /// <summary>A window of <paramref name="length"/> whose old edge moves in steps of <paramref name="hop"/>.</summary>
    /// <exception cref="ArgumentException">The hop is not positive, exceeds the length, or does not divide it.</exception>
    public static Window Sliding(TimeSpan length, TimeSpan hop)
    {
        var w = length.Ticks / TimeSpan.TicksPerMicrosecond;
        var h = hop.Ticks / TimeSpan.TicksPerMicrosecond;
        if (h <= 0)
        {
            throw new ArgumentException($"The hop must be positive; it is {Durations.Format(hop)}.", nameof(hop));
        }

        if (h > w)
        {
            throw new ArgumentException($"The hop {Durations.Format(hop)} is larger than its window {Durations.Format(length)}.", nameof(hop));
        }

        if (w % h != 0)
        {
            throw new ArgumentException($"The window {Durations.Format(length)} is not a multiple of its hop {Durations.Format(hop)}.", nameof(hop));
        }

        return new Window(w, h);
    }

    /// <summary>The first instant the window holds at <paramref name="t"/>: <c>floor((t - W) / h) * h</c>.</summary>
    public long StartAt(long t) => IsLifetime ? long.MinValue : Tiles.StartOf(t - LengthMicros, HopMicros);

    /// <summary>Whether an event at <paramref name="eventMicros"/> counts in the window's value at <paramref name="t"/>.</summary>
    public bool Contains(long t, long eventMicros) => eventMicros <= t && (IsLifetime || eventMicros >= StartAt(t));

    /// <summary>How the window appears in feature names: <c>1h</c>, <c>7d</c>, <c>1h30m</c>, <c>lifetime</c>.</summary>
    public string Name => IsLifetime ? "lifetime" : Durations.Format(TimeSpan.FromTicks(LengthMicros * TimeSpan.TicksPerMicrosecond));

    public override string ToString() => IsLifetime
        ? Name
        : $"{Name} (hop {Durations.Format(TimeSpan.FromTicks(HopMicros * TimeSpan.TicksPerMicrosecond))})";
}

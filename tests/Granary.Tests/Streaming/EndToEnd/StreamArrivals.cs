using FsCheck;
using FsCheck.Fluent;

namespace Granary.Tests.Streaming.EndToEnd;

/// <summary>One pushed event: its key, values and id, in the order the pushes send them.</summary>
internal sealed record Arrival(int Key, StreamEvent Event, string Id);

/// <summary>
/// Pushes of events as they arrive, and after each a pause before the reads: event times climb through 50 minutes with
/// a jitter of up to 15 minutes back (so events come out of order and some are later than the 10 minutes of allowed
/// lateness) and a minute forward; ids come from a small pool, so one id is used by several keys and again by one key
/// for a different event; some events are redelivered as exact copies in later pushes. The times span less than the
/// id horizon (the widest finite window plus the lateness, 70 minutes), within which online remembers every id.
/// </summary>
internal static class StreamArrivals
{
    private static readonly long T0 = StreamEvents.T0;

    /// <summary>A key, an id number, a jitter in seconds and the event's values (its time is set by its position).</summary>
    private static readonly Gen<(int Key, int Id, int Jitter, StreamEvent Values)> AnyEvent =
        Gen.Zip(
            Gen.Zip(Gen.Choose(1, 3), Gen.Choose(0, 24)),
            Gen.Zip(Gen.Frequency((3, Gen.Choose(-60, 60)), (1, Gen.Choose(-900, 60))), StreamEvents.Any),
            (a, b) => (a.Item1, a.Item2, b.Item1, b.Item2));

    /// <summary>Pushes after which nothing is read, as <see cref="Scenarios"/>' pause.</summary>
    public const int NoRead = -1;

    /// <summary>
    /// The pushes (each a batch of arrivals) and the pause after each before the reads, in seconds: 0 (at the newest
    /// event), up to 50 minutes (the old edges move), or <see cref="NoRead"/>; the last push is always read after.
    /// </summary>
    public static readonly Gen<(Arrival[][] Pushes, int[] Pauses)> Scenarios =
        Gen.Choose(1, 32).SelectMany(n => Gen.ArrayOf(AnyEvent, n)).SelectMany(events =>
            Gen.Zip(
                Gen.ArrayOf(Gen.Choose(0, events.Length - 1), 4),
                Gen.ArrayOf(Gen.Choose(1, 8), events.Length),
                (repeats, sizes) => Split(Timed(events, repeats), sizes)))
        .SelectMany(pushes => Gen.ArrayOf(Gen.Frequency((2, Gen.Constant(NoRead)), (1, Gen.Constant(0)), (2, Gen.Choose(1, 3000))), pushes.Length)
            .Select(pauses => (pushes, pauses)));

    /// <summary>
    /// Event i at i / n of 50 minutes plus its jitter (and i % 3 microseconds, for ties beside tile edges); each repeated
    /// one redelivered a few events after its original, as a consumer's redelivery comes soon after.
    /// </summary>
    private static Arrival[] Timed((int Key, int Id, int Jitter, StreamEvent Values)[] events, int[] repeats)
    {
        var timed = new List<Arrival>(events.Length + repeats.Length);
        for (var i = 0; i < events.Length; i++)
        {
            var seconds = (i * 3000L / events.Length) + events[i].Jitter;
            var values = events[i].Values with { Micros = T0 + (seconds * 1_000_000L) + (i % 3) };
            timed.Add(new Arrival(events[i].Key, values, $"txn-{events[i].Id}"));
        }

        // Descending, so each insertion lands after its original and leaves the earlier positions as they are.
        foreach (var r in repeats.Distinct().OrderDescending())
        {
            timed.Insert(Math.Min(r + 1 + (r % 4), timed.Count), timed[r]);
        }

        return [.. timed];
    }

    private static Arrival[][] Split(Arrival[] events, int[] sizes)
    {
        var pushes = new List<Arrival[]>();
        var at = 0;
        for (var p = 0; at < events.Length; p++)
        {
            var size = Math.Min(sizes[p % sizes.Length], events.Length - at);
            pushes.Add(events[at..(at + size)]);
            at += size;
        }

        return [.. pushes];
    }
}

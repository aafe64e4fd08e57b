using Granary.Core.Time;

namespace Granary.Tests.Streaming.Hosting;

/// <summary>One transaction of the hosting tests: user, event time, id and amount.</summary>
internal sealed record HostedEvent(long User, DateTimeOffset Time, string Id, double Amount)
{
    /// <summary>The first event's time; events follow a second apart.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan Hop = TimeSpan.FromMinutes(1);

    /// <summary>Events <paramref name="from"/> to <paramref name="from"/> + <paramref name="count"/> - 1: seven users, a second apart, amounts with halves (exact in binary).</summary>
    public static List<HostedEvent> Range(int from, int count)
    {
        var events = new List<HostedEvent>(count);
        for (var i = from; i < from + count; i++)
        {
            events.Add(new HostedEvent(i % 7, T0.AddSeconds(i), $"tx{i}", (i % 11) + 0.5));
        }

        return events;
    }

    /// <summary>
    /// The naive definition of <c>spend</c> at <paramref name="t"/> for <paramref name="user"/>: the events with
    /// <c>floor((t - W) / hop) * hop &lt;= ts &lt;= t</c>, each id once; (sum over 1h or null, sum over 1d or null, count).
    /// </summary>
    public static (double? Sum1h, double? Sum1d, long Count) Expected(IEnumerable<HostedEvent> events, long user, DateTimeOffset t)
    {
        var at = UtcMicros.From(t);
        var hop = Hop.Ticks / TimeSpan.TicksPerMicrosecond;
        double? hour = null, day = null;
        long count = 0;
        foreach (var e in events.Where(e => e.User == user).DistinctBy(e => e.Id))
        {
            var ts = UtcMicros.From(e.Time);
            if (ts > at)
            {
                continue;
            }

            count++;
            if (NaiveWindowAggregation.InWindow(at, TimeSpan.FromHours(1).Ticks / 10, hop, ts))
            {
                hour = (hour ?? 0) + e.Amount;
            }

            if (NaiveWindowAggregation.InWindow(at, TimeSpan.FromDays(1).Ticks / 10, hop, ts))
            {
                day = (day ?? 0) + e.Amount;
            }
        }

        return (hour, day, count);
    }
}

using System.Globalization;
using System.Text;

namespace Granary.Tests.Faults;

/// <summary>One source row of the fault tests' view <c>user_stats</c> (features <c>orders</c>, int64, and <c>spend</c>, float64).</summary>
internal sealed record FaultRow(long User, DateTimeOffset EventTime, DateTimeOffset Created, long Orders, double Spend);

/// <summary>
/// The source data of the fault tests and what a materialization of it must leave in the online store, computed
/// the naive way (a scan per entity) rather than by any code under test.
/// </summary>
internal static class FaultRows
{
    /// <summary>The first rows' day: every user has one row on it.</summary>
    public static readonly DateTimeOffset FirstDay = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Between the days: a materialization up to here sees only the first day's rows.</summary>
    public static readonly DateTimeOffset Between = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The later rows' day: every user has one or two rows on it, with values unlike the first day's.</summary>
    public static readonly DateTimeOffset LaterDay = new(2026, 11, 3, 0, 0, 0, TimeSpan.Zero);

    /// <summary>After every row.</summary>
    public static readonly DateTimeOffset End = new(2026, 11, 4, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Rows for users 1..<paramref name="users"/>: one on the first day, one on the later day, and for every third
    /// user a second row of the same event time created later (which must win). Spends are quarters, exact in binary.
    /// </summary>
    public static IReadOnlyList<FaultRow> Generate(int users, int seed)
    {
        var random = new Random(seed);
        var rows = new List<FaultRow>(users * 3);
        for (long user = 1; user <= users; user++)
        {
            var first = FirstDay.AddSeconds(user);
            rows.Add(new FaultRow(user, first, first.AddMinutes(5), random.Next(0, 1000), random.Next(0, 4000) / 4.0));
            var later = LaterDay.AddSeconds(user);
            rows.Add(new FaultRow(user, later, later.AddMinutes(5), 1000 + random.Next(0, 1000), 1000 + (random.Next(0, 4000) / 4.0)));
            if (user % 3 == 0)
            {
                rows.Add(new FaultRow(user, later, later.AddMinutes(10), 2000 + random.Next(0, 1000), 2000 + (random.Next(0, 4000) / 4.0)));
            }
        }

        // Not in time order: the engine, not the file, must find each user's latest row.
        return [.. rows.OrderBy(_ => random.Next())];
    }

    /// <summary>Each user's latest row with an event time in [start, end], by event time then created time.</summary>
    public static IReadOnlyDictionary<long, FaultRow> Latest(IReadOnlyList<FaultRow> rows, DateTimeOffset start, DateTimeOffset end)
    {
        var latest = new Dictionary<long, FaultRow>();
        foreach (var row in rows)
        {
            if (row.EventTime < start || row.EventTime > end)
            {
                continue;
            }

            if (!latest.TryGetValue(row.User, out var best) || (row.EventTime, row.Created).CompareTo((best.EventTime, best.Created)) > 0)
            {
                latest[row.User] = row;
            }
        }

        return latest;
    }

    public static string Csv(IReadOnlyList<FaultRow> rows)
    {
        var csv = new StringBuilder("user_id,event_timestamp,created,orders,spend\n");
        foreach (var row in rows)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{row.User},{row.EventTime:yyyy-MM-dd'T'HH:mm:ss'Z'},{row.Created:yyyy-MM-dd'T'HH:mm:ss'Z'},{row.Orders},{row.Spend.ToString("R", CultureInfo.InvariantCulture)}\n");
        }

        return csv.ToString();
    }

    /// <summary>The view over a source named <c>stats</c>; the caller defines the source.</summary>
    public const string View = """
        entities:
          - {name: user, join_keys: [user_id], value_type: int64}
        feature_views:
          - name: user_stats
            entities: [user]
            ttl: 0
            source: stats
            schema: [{name: orders, dtype: int64}, {name: spend, dtype: float64}]
        """;
}

using System.Globalization;
using System.Text;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Derived;

/// <summary>
/// A repository with a chain of derived feature views: <c>purchases</c> (a feature view over a CSV log whose time
/// column is <c>ts</c>), <c>user_totals</c> (running total and count per user, from <c>{{ purchases }}</c>) and
/// <c>user_level</c> (from <c>{{ user_totals }}</c>), listed before what it reads.
/// </summary>
internal static class DerivedRepository
{
    public const string Definitions = """
        entities:
          - {name: user, join_keys: [user_id], value_type: int64}
        sources:
          - {name: purchase_log, type: file, path: data/purchases.csv, timestamp_field: ts}
        feature_views:
          - name: purchases
            entities: [user]
            ttl: 0
            source: purchase_log
            schema: [{name: amount, dtype: float64}]
        derived_feature_views:
          - name: user_level
            entities: [user]
            ttl: 0
            query: |
              SELECT user_id, event_timestamp, CASE WHEN total >= 100 THEN 'gold' ELSE 'basic' END AS level
              FROM {{ user_totals }}
            schema: [{name: level, dtype: string}]
          - name: user_totals
            entities: [user]
            ttl: 0
            query: |
              SELECT user_id, event_timestamp,
                     CAST(sum(amount) OVER w AS DOUBLE) AS total,
                     CAST(count(*) OVER w AS BIGINT) AS purchase_count
              FROM {{ purchases }}
              WINDOW w AS (PARTITION BY user_id ORDER BY event_timestamp ROWS UNBOUNDED PRECEDING)
            schema:
              - {name: total, dtype: float64}
              - {name: purchase_count, dtype: int64}
        """;

    public static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Purchases at distinct random minutes of ten days, amounts with a fraction (so the column reads as a double).</summary>
    public static List<(long User, DateTimeOffset Time, double Amount)> Purchases(int seed, int count)
    {
        var random = new Random(seed);
        var minutes = new HashSet<int>();
        var rows = new List<(long, DateTimeOffset, double)>();
        while (rows.Count < count)
        {
            var minute = random.Next(0, 10 * 24 * 60);
            if (minutes.Add(minute))
            {
                rows.Add((random.Next(1, 5), Start.AddMinutes(minute), random.Next(1, 80) + 0.5));
            }
        }

        return rows;
    }

    public static TempRepository Create(string config, IReadOnlyList<(long User, DateTimeOffset Time, double Amount)> purchases)
    {
        var csv = new StringBuilder("user_id,ts,amount\n");
        foreach (var (user, time, amount) in purchases)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{user},{Iso(time)},{amount.ToString("0.0", CultureInfo.InvariantCulture)}\n");
        }

        var repo = new TempRepository();
        repo.Write("granary.yaml", config).Write("features.yaml", Definitions).Write("data/purchases.csv", csv.ToString());
        return repo;
    }

    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}

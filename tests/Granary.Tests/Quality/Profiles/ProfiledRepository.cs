using Granary.Tests.Infrastructure;

namespace Granary.Tests.Quality.Profiles;

/// <summary>
/// A repository whose view <c>spending</c> (spend float64, segment string) reads a small CSV whose statistics in
/// [<see cref="Start"/>, <see cref="End"/>) are known by hand: six rows, spend 1, 2, 3, 4, 10 and a null, segment
/// a, b, a, c, a and a null. One row an hour before the start and one at the end (excluded) hold values far outside.
/// </summary>
public static class ProfiledRepository
{
    public const string View = "spending";
    public const string StartText = "2026-11-01T00:00:00Z";
    public const string EndText = "2026-11-02T00:00:00Z";

    public static readonly DateTimeOffset Start = DateTimeOffset.Parse(StartText, System.Globalization.CultureInfo.InvariantCulture);
    public static readonly DateTimeOffset End = DateTimeOffset.Parse(EndText, System.Globalization.CultureInfo.InvariantCulture);

    public const string Definitions = """
        entities:
          - name: user
            join_keys: [user_id]
            value_type: int64
        sources:
          - name: spend_source
            type: file
            path: data/spend.csv
            timestamp_field: event_timestamp
        feature_views:
          - name: spending
            entities: [user]
            ttl: 0
            source: spend_source
            schema:
              - {name: spend, dtype: float64}
              - {name: segment, dtype: string}
        """;

    public const string Csv = """
        user_id,event_timestamp,spend,segment
        9,2026-10-31T23:00:00Z,1000.0,z
        1,2026-11-01T00:00:00Z,1.0,a
        2,2026-11-01T03:00:00Z,2.0,b
        3,2026-11-01T06:00:00Z,3.0,a
        4,2026-11-01T09:00:00Z,,
        5,2026-11-01T12:00:00Z,4.0,c
        6,2026-11-01T23:59:59Z,10.0,a
        7,2026-11-02T00:00:00Z,-50.0,y
        """;

    /// <summary>The repository with <paramref name="config"/> as its granary.yaml (project and registry).</summary>
    public static TempRepository Create(string config) => new TempRepository()
        .Write("granary.yaml", config)
        .Write("features.yaml", Definitions)
        .Write("data/spend.csv", Csv);
}

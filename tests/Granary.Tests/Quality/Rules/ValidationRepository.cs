using Granary.Tests.Infrastructure;

namespace Granary.Tests.Quality.Rules;

/// <summary>
/// The sample repository plus a view <c>ad_stats</c> whose fields declare rules, over a CSV source read by DuckDB: on
/// 2026-11-01 one row breaks the range and the expression; on 2026-11-02 one row has a null ctr (a warning only).
/// </summary>
internal static class ValidationRepository
{
    public const string Views = """
        sources:
          - name: ads_source
            type: file
            path: data/ads.csv
            timestamp_field: event_timestamp
        feature_views:
          - name: ad_stats
            entities: [user]
            ttl: 0
            source: ads_source
            schema:
              - name: ctr
                dtype: float64
                validation:
                  - {rule: range, min: 0, max: 1}
                  - {rule: not_null, severity: warn}
              - name: clicks
                dtype: int64
                validation: [{rule: expression, expr: "clicks <= impressions"}]
              - {name: impressions, dtype: int64}
        """;

    public const string Rows = """
        user_id,event_timestamp,ctr,clicks,impressions
        1,2026-11-01T00:00:00Z,0.5,1,10
        2,2026-11-01T01:00:00Z,1.5,5,3
        3,2026-11-02T00:00:00Z,,2,4
        """;

    /// <summary>The repository, applied.</summary>
    public static async Task<TempRepository> CreateAsync()
    {
        var repo = SampleRepository.Create().Write("features/ads.yaml", Views).Write("data/ads.csv", Rows);
        var apply = await CliRunner.RunAsync("apply", "--repo", repo.Root);
        Assert.True(apply.Exit == 0, apply.Err);
        return repo;
    }
}

using Granary.Tests.Infrastructure;

namespace Granary.Tests.Quality.Reports;

/// <summary>
/// A small repository for report tests: 4,000 rows of one view whose <c>ctr</c> shifts from the current period on,
/// and whose <c>country</c> now and then holds markup that its enum rule rejects.
/// </summary>
internal static class ReportRepository
{
    internal const string BaselineStart = "2026-11-01T00:00:00Z";
    internal const string CurrentStart = "2026-11-02T09:20:00Z";
    internal const string CurrentEnd = "2026-11-03T18:40:00Z";

    /// <summary>A value a page must show as text, never run.</summary>
    internal const string HostileCountry = "<script>alert('x')</script>";

    private const string Definitions = """
        entities:
          - name: ad
            join_keys: [ad_id]
            value_type: int64
        sources:
          - name: ad_source
            type: file
            path: data/ads.parquet
            timestamp_field: event_timestamp
        feature_views:
          - name: ad_stats
            entities: [ad]
            ttl: 0
            source: ad_source
            online: false
            schema:
              - {name: ctr, dtype: float64}
              - {name: clicks, dtype: int64}
              - name: country
                dtype: string
                validation: [{rule: enum, values: [US, FR, DE]}]
        """;

    // ctr uniform on [0.05, 0.07) in the baseline and on [0.09, 0.11) in the current period; clicks and country alike
    // throughout, but every 97th country is markup.
    private const string Rows = """
        SELECT CAST(i % 200 AS BIGINT) AS ad_id,
            TIMESTAMPTZ '2026-11-01 00:00:00+00' + to_minutes(CAST(i AS BIGINT)) AS event_timestamp,
            (CASE WHEN i < 2000 THEN 0.05 ELSE 0.09 END) + 0.02 * ((hash(i) % 1000003) / 1000003.0) AS ctr,
            CAST(hash(i * 7 + 1) % 50 AS BIGINT) AS clicks,
            CASE WHEN i % 97 = 5 THEN '<script>alert(''x'')</script>'
                ELSE ['US', 'FR', 'DE'][CAST(hash(i * 13 + 5) % 3 AS INTEGER) + 1] END AS country
        FROM range(4000) AS t(i)
        """;

    public static async Task<TempRepository> CreateAsync()
    {
        var repo = new TempRepository()
            .Write("granary.yaml", "project: ads\nregistry: data/registry.db\n")
            .Write("features.yaml", Definitions);
        await ParquetFiles.WriteAsync(repo, "data/ads.parquet", Rows);
        var apply = await CliRunner.RunAsync("apply", "--repo", repo.Root);
        Assert.True(apply.Exit == 0, apply.Err);
        return repo;
    }

    public static string[] Periods() =>
        ["--current-start", CurrentStart, "--current-end", CurrentEnd, "--baseline-start", BaselineStart, "--baseline-end", CurrentStart];
}

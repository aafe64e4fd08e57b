namespace Granary.Cli.Quickstart;

/// <summary>
/// The second half of the quickstart script: the daily feature tables a batch pipeline would compute from the
/// events, with window functions over a dense (entity, day) grid.
/// </summary>
/// <remarks>
/// Day <c>d</c> (1-based) covers <c>[window_start + (d-1) days, window_start + d days)</c>; its snapshot's
/// <c>event_timestamp</c> is the end of that day, so a value never includes an event at or after its own time.
/// </remarks>
internal static class DemoSnapshotsSql
{
    public static IReadOnlyList<string> Statements(DemoDataOptions o) =>
    [
        $"CREATE TEMP TABLE day_grid AS SELECT d, p.window_start + to_days(d::INTEGER) AS day_end FROM params p, range(1, {o.Days} + 1) r(d)",
        "CREATE TEMP MACRO day_of(ts) AS ((epoch_ms(ts) - epoch_ms((SELECT window_start FROM params))) // 86400000 + 1)",
        """
        CREATE TEMP TABLE user_daily AS
        WITH imp AS (SELECT user_id, day_of(event_timestamp) AS d, count(*) AS n FROM impressions_out GROUP BY ALL),
        clk AS (SELECT user_id, day_of(event_timestamp) AS d, count(*) AS n FROM clicks_out GROUP BY ALL),
        cnv AS (SELECT user_id, day_of(event_timestamp) AS d, count(*) AS n, sum(revenue) AS revenue FROM conversions_out GROUP BY ALL),
        daily AS (
            SELECT u.user_id, g.d, g.day_end, coalesce(imp.n, 0) AS imps, coalesce(clk.n, 0) AS clks,
                coalesce(cnv.n, 0) AS convs, coalesce(cnv.revenue, 0) AS revenue
            FROM user_state u CROSS JOIN day_grid g
            LEFT JOIN imp ON imp.user_id = u.user_id AND imp.d = g.d
            LEFT JOIN clk ON clk.user_id = u.user_id AND clk.d = g.d
            LEFT JOIN cnv ON cnv.user_id = u.user_id AND cnv.d = g.d)
        SELECT *,
            sum(imps) OVER w7 AS impressions_7d, sum(clks) OVER w7 AS clicks_7d,
            sum(convs) OVER w30 AS conversions_30d, sum(revenue) OVER w30 AS spend_30d
        FROM daily
        WINDOW w7 AS (PARTITION BY user_id ORDER BY d ROWS BETWEEN 6 PRECEDING AND CURRENT ROW),
            w30 AS (PARTITION BY user_id ORDER BY d ROWS BETWEEN 29 PRECEDING AND CURRENT ROW)
        """,

        // A snapshot for each user active in the last 7 days, written 10 to 90 minutes after the day ends.
        // About 1% of them (old enough, and with earlier impressions) were first written without that day's
        // events, which arrived late; a backfill 2 to 4 days later wrote the right values for the same
        // event_timestamp. The created column tells the two apart: the later write wins.
        """
        CREATE TEMP TABLE user_activity_out AS
        WITH active AS (
            SELECT *, rnd('backfill', user_id, d) < 0.01 AND day_end + INTERVAL 4 DAY < (SELECT anchor FROM params) AND impressions_7d > imps AS backfilled
            FROM user_daily WHERE impressions_7d > 0),
        first_write AS (
            SELECT user_id, day_end, day_end + to_seconds((600 + floor(4800 * rnd('ua_created', user_id, d)))::BIGINT) AS created,
                impressions_7d - CASE WHEN backfilled THEN imps ELSE 0 END AS i7, clicks_7d - CASE WHEN backfilled THEN clks ELSE 0 END AS c7,
                conversions_30d - CASE WHEN backfilled THEN convs ELSE 0 END AS v30, spend_30d - CASE WHEN backfilled THEN revenue ELSE 0 END AS s30
            FROM active
            UNION ALL
            SELECT user_id, day_end, day_end + to_seconds((2 * 86400 + floor(2 * 86400 * rnd('ua_backfill', user_id, d)))::BIGINT),
                impressions_7d, clicks_7d, conversions_30d, spend_30d
            FROM active WHERE backfilled)
        SELECT user_id, day_end AS event_timestamp, created,
            i7::BIGINT AS impressions_7d, c7::BIGINT AS clicks_7d, (c7 / nullif(i7, 0))::DOUBLE AS ctr_7d,
            v30::BIGINT AS conversions_30d, round(s30, 2)::DOUBLE AS spend_30d
        FROM first_write
        """,
        // From DriftStartDay on, the pipeline counts every impression twice (a join that fans out): a real shift in
        // impressions_1d, and in nothing else, for the quickstart's drift check to find. ctr_7d is computed from
        // the events themselves and keeps its distribution.
        $"""
        CREATE TEMP TABLE ad_performance_out AS
        WITH imp AS (SELECT ad_id, day_of(event_timestamp) AS d, count(*) AS n FROM impressions_out GROUP BY ALL),
        clk AS (SELECT ad_id, day_of(event_timestamp) AS d, count(*) AS n FROM clicks_out GROUP BY ALL),
        daily AS (
            SELECT a.ad_id, g.d, g.day_end, coalesce(imp.n, 0) AS imps, coalesce(clk.n, 0) AS clks
            FROM ad_state a CROSS JOIN day_grid g
            LEFT JOIN imp ON imp.ad_id = a.ad_id AND imp.d = g.d
            LEFT JOIN clk ON clk.ad_id = a.ad_id AND clk.d = g.d)
        SELECT ad_id, day_end AS event_timestamp,
            day_end + to_seconds((1800 + floor(5400 * rnd('ap_created', ad_id, d)))::BIGINT) AS created,
            (CASE WHEN d >= {o.DriftStartDay} THEN 2 * imps ELSE imps END)::BIGINT AS impressions_1d, clks::BIGINT AS clicks_1d,
            (sum(clks) OVER w7 / nullif(sum(imps) OVER w7, 0))::DOUBLE AS ctr_7d
        FROM daily
        WINDOW w7 AS (PARTITION BY ad_id ORDER BY d ROWS BETWEEN 6 PRECEDING AND CURRENT ROW)
        """,
    ];
}

using System.Globalization;

namespace Granary.Cli.Quickstart;

/// <summary>
/// The first half of the quickstart script: users and ads with hidden traits, then impressions, clicks and
/// conversions whose outcomes depend on those traits. Every statement is set-based; no row passes through C#.
/// </summary>
/// <remarks>
/// Randomness comes from <c>hash(seed, salt, a, b)</c> rather than <c>setseed()</c> and <c>random()</c>: DuckDB
/// runs a query on several threads, and <c>random()</c> then depends on how rows are split between them, while a
/// hash of the seed and a row's identity is the same on every run and every machine with the same DuckDB version.
/// Timestamps are <c>TIMESTAMPTZ</c> in a session whose time zone is UTC; Parquet stores them as UTC instants.
/// </remarks>
internal static class DemoEventsSql
{
    public static IReadOnlyList<string> Statements(DemoDataOptions o)
    {
        var seed = o.Seed.ToString(CultureInfo.InvariantCulture);
        var anchor = o.Anchor.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        return
        [
            "SET TimeZone = 'UTC'",

            // A uniform draw in [0, 1) from the top 53 bits of a hash, and a standard normal by Box-Muller.
            $"CREATE TEMP MACRO rnd(salt, a, b) AS ((hash({seed}::BIGINT, salt, a, b) >> 11)::DOUBLE / 9007199254740992.0)",
            "CREATE TEMP MACRO rnorm(salt, a, b) AS (sqrt(-2 * ln(1 - rnd(salt || ':1', a, b))) * cos(2 * pi() * rnd(salt || ':2', a, b)))",
            "CREATE TEMP MACRO sigmoid(x) AS (1 / (1 + exp(-x)))",
            $"""
            CREATE TEMP TABLE params AS
            SELECT TIMESTAMPTZ '{anchor}+00' AS anchor, TIMESTAMPTZ '{anchor}+00' - to_days({o.Days}) AS window_start, {o.Days} AS days
            """,
            """
            CREATE TEMP TABLE categories AS SELECT * FROM (VALUES
                (0, 'travel', 1.4), (1, 'retail', 0.8), (2, 'finance', 2.0), (3, 'gaming', 0.6),
                (4, 'autos', 1.6), (5, 'food', 0.7), (6, 'fitness', 0.9), (7, 'electronics', 1.2)) c(category_id, category, value_factor)
            """,
            """
            CREATE TEMP TABLE devices AS SELECT * FROM (VALUES
                (0, 'ios', 0.25), (1, 'android', 0.15), (2, 'desktop', -0.35)) d(device_idx, device, device_effect)
            """,

            // Hidden traits: propensity (how readily a user clicks), interest (the category they click most),
            // activity (how many ads they see; log-normal, so a few users see many).
            $"""
            CREATE TEMP TABLE user_state AS
            WITH drawn AS (
                SELECT i AS user_id,
                    (18 + floor(52 * (rnd('age', i, 0) + rnd('age', i, 1)) / 2))::INTEGER AS age,
                    rnd('country', i, 0) AS r_country,
                    floor(3 * rnd('device', i, 0))::INTEGER AS device_idx,
                    floor(8 * rnd('interest', i, 0))::INTEGER AS interest_id,
                    exp(1.1 * rnorm('activity', i, 0)) AS activity,
                    0.8 * rnorm('propensity', i, 0) AS base_propensity,
                    (SELECT window_start FROM params) - to_seconds(floor((1 + 700 * rnd('signup', i, 0)) * 86400)::BIGINT) AS signup_timestamp
                FROM range(1, {o.Users} + 1) r(i))
            SELECT user_id, age, device_idx, d.device, interest_id, activity, signup_timestamp,
                CASE WHEN r_country < 0.34 THEN 'US' WHEN r_country < 0.46 THEN 'GB' WHEN r_country < 0.56 THEN 'DE'
                     WHEN r_country < 0.64 THEN 'FR' WHEN r_country < 0.74 THEN 'BR' WHEN r_country < 0.89 THEN 'IN' ELSE 'JP' END AS country,
                base_propensity + d.device_effect - 0.012 * (age - 40) AS propensity
            FROM drawn JOIN devices d USING (device_idx)
            """,

            // Profile rows: one valid from sign-up, and for about 12% of users a second one from the day they
            // switched device, so that a point-in-time join has something to get right.
            """
            CREATE TEMP TABLE users_out AS
            SELECT user_id, age, country, device, signup_timestamp, signup_timestamp AS event_timestamp,
                signup_timestamp + to_seconds((60 + floor(540 * rnd('users_created', user_id, 0)))::BIGINT) AS created
            FROM user_state
            UNION ALL
            SELECT s.user_id, s.age, s.country, d.device, s.signup_timestamp, s.switched,
                s.switched + to_seconds((60 + floor(540 * rnd('users_created', s.user_id, 1)))::BIGINT)
            FROM (SELECT *, (SELECT window_start FROM params) + to_seconds(floor(rnd('switch_at', user_id, 0) * (SELECT days FROM params) * 86400)::BIGINT) AS switched,
                    (device_idx + 1 + floor(2 * rnd('switch_to', user_id, 0))::INTEGER) % 3 AS new_idx
                FROM user_state WHERE rnd('switch', user_id, 0) < 0.12) s
            JOIN devices d ON d.device_idx = s.new_idx
            """,

            // Ads: the first eight cover every category so that targeting always finds one.
            $"""
            CREATE TEMP TABLE ad_state AS
            SELECT i AS ad_id, (1 + floor(40 * rnd('advertiser', i, 0)))::BIGINT AS advertiser_id,
                CASE WHEN i <= 8 THEN i - 1 ELSE floor(8 * rnd('ad_category', i, 0))::INTEGER END AS category_id,
                0.5 * rnorm('quality', i, 0) AS quality,
                (SELECT window_start FROM params) - to_seconds(floor((1 + 60 * rnd('launch', i, 0)) * 86400)::BIGINT) AS launched
            FROM range(1, {o.Ads} + 1) r(i)
            """,

            // Metadata rows: one from launch, and for about 20% of ads a re-bid during the window.
            """
            CREATE TEMP TABLE ads_out AS
            WITH launched AS (
                SELECT a.ad_id, a.advertiser_id, c.category, round(exp(ln(2.5 * c.value_factor) + 0.4 * rnorm('bid', a.ad_id, 0)), 2) AS bid_cpm,
                    a.launched AS event_timestamp, a.launched + to_seconds((30 + floor(300 * rnd('ads_created', a.ad_id, 0)))::BIGINT) AS created
                FROM ad_state a JOIN categories c USING (category_id))
            SELECT * FROM launched
            UNION ALL
            SELECT ad_id, advertiser_id, category, round(bid_cpm * (0.7 + 0.7 * rnd('rebid', ad_id, 0)), 2), rebid_at,
                rebid_at + to_seconds((30 + floor(300 * rnd('ads_created', ad_id, 1)))::BIGINT)
            FROM (SELECT *, (SELECT window_start FROM params) + to_seconds(floor(rnd('rebid_at', ad_id, 0) * (SELECT days FROM params) * 86400)::BIGINT) AS rebid_at
                FROM launched WHERE rnd('rebid', ad_id, 1) < 0.2)
            """,
            """
            CREATE TEMP TABLE ads_by_category AS
            SELECT ad_id, category_id, quality,
                row_number() OVER (PARTITION BY category_id ORDER BY ad_id) - 1 AS rank_in_category,
                count(*) OVER (PARTITION BY category_id) AS category_ads
            FROM ad_state
            """,

            // Users are drawn in proportion to activity: an ASOF join of uniform draws against the cumulative weights.
            """
            CREATE TEMP TABLE user_cdf AS
            SELECT user_id, coalesce(sum(activity) OVER (ORDER BY user_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) / sum(activity) OVER () AS lo
            FROM user_state
            """,
            DemoImpressionsSql.Draw(o),
            DemoImpressionsSql.Impressions,
            "CREATE TEMP TABLE clicks_out AS SELECT impression_id, user_id, ad_id, click_timestamp AS event_timestamp FROM impressions_out WHERE clicked",
            """
            CREATE TEMP TABLE conversions_out AS
            SELECT i.impression_id, i.user_id, i.ad_id, i.conversion_timestamp AS event_timestamp,
                round(exp(ln(25 * c.value_factor) + 0.6 * rnorm('revenue', i.draw, 0)), 2) AS revenue
            FROM impressions_out i JOIN categories c ON c.category_id = i.ad_category
            WHERE i.converted
            """,
        ];
    }
}

namespace Granary.Cli.Quickstart;

/// <summary>
/// The impressions of the quickstart script, and the click and conversion each may lead to. The outcome model
/// is what gives the features their signal:
/// <list type="bullet">
/// <item>45% of impressions are targeted at the user's interest category; the rest show any ad.</item>
/// <item><c>P(click) = sigmoid(-4.2 + propensity + ad quality + 1.1 if the category matches)</c>, about 4% overall.</item>
/// <item><c>P(conversion | click) = sigmoid(-2.8 + 0.7 propensity + 0.6 if it matches)</c>, after an exponential delay (mean 5 h).</item>
/// </list>
/// A click or conversion that would land at or after the anchor has not happened yet, so its label is false.
/// </summary>
internal static class DemoImpressionsSql
{
    /// <summary>Draws the user, ad and time of each impression.</summary>
    public static string Draw(DemoDataOptions o) => $"""
        CREATE TEMP TABLE impression_draws AS
        WITH drawn AS (
            SELECT i AS draw, rnd('imp_user', i, 0) AS u_user, rnd('imp_time', i, 0) AS u_time,
                rnd('imp_target', i, 0) < 0.45 AS targeted, floor(rnd('imp_ad', i, 0) * 1e9)::BIGINT AS ad_pick
            FROM range({o.Impressions}) r(i)),
        with_user AS (
            SELECT d.*, c.user_id FROM drawn d ASOF JOIN user_cdf c ON d.u_user >= c.lo),
        with_ad AS (
            SELECT w.*, s.interest_id, s.propensity,
                coalesce(t.ad_id, 1 + w.ad_pick % {o.Ads}) AS ad_id
            FROM with_user w
            JOIN user_state s USING (user_id)
            LEFT JOIN (SELECT DISTINCT category_id, category_ads FROM ads_by_category) n ON w.targeted AND n.category_id = s.interest_id
            LEFT JOIN ads_by_category t ON t.category_id = n.category_id AND t.rank_in_category = w.ad_pick % n.category_ads)
        -- Uniform over days; within a day, a warp of the clock makes evenings (around 20:00 UTC) busier than mornings.
        SELECT w.draw, w.user_id, w.ad_id, w.interest_id, w.propensity, a.category_id AS ad_category, a.quality,
            p.window_start + to_milliseconds(floor(
                (floor(w.u_time * p.days) + (w.x - sin(2 * pi() * w.x) * 0.5 / (2 * pi()) + 20.0 / 24) % 1) * 86400000)::BIGINT) AS event_timestamp
        FROM (SELECT *, u_time * (SELECT days FROM params) - floor(u_time * (SELECT days FROM params)) AS x FROM with_ad) w
        JOIN ads_by_category a USING (ad_id)
        CROSS JOIN params p
        """;

    /// <summary>Decides each impression's outcome and numbers impressions in time order.</summary>
    public const string Impressions = """
        CREATE TEMP TABLE impressions_out AS
        WITH outcome AS (
            SELECT d.*, p.anchor,
                rnd('click', draw, 0) < sigmoid(-4.2 + propensity + quality + CASE WHEN ad_category = interest_id THEN 1.1 ELSE 0 END) AS click_drawn,
                rnd('convert', draw, 0) < sigmoid(-2.8 + 0.7 * propensity + CASE WHEN ad_category = interest_id THEN 0.6 ELSE 0 END) AS conversion_drawn,
                event_timestamp + to_milliseconds((400 + floor(45000 * rnd('click_delay', draw, 0)))::BIGINT) AS click_timestamp,
                to_seconds(floor(-ln(1 - rnd('conversion_delay', draw, 0)) * 5 * 3600)::BIGINT) AS conversion_delay
            FROM impression_draws d CROSS JOIN params p)
        SELECT row_number() OVER (ORDER BY event_timestamp, draw) AS impression_id, user_id, ad_id, event_timestamp,
            click_drawn AND click_timestamp < anchor AS clicked,
            click_drawn AND conversion_drawn AND click_timestamp + conversion_delay < anchor AS converted,
            click_timestamp, click_timestamp + conversion_delay AS conversion_timestamp, ad_category, draw
        FROM outcome
        """;
}

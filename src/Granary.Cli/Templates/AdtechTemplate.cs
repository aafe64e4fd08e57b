namespace Granary.Cli.Templates;

/// <summary>
/// The <c>adtech</c> template: the quickstart's repository. Its sources are the files
/// <see cref="Quickstart.DemoDataGenerator"/> writes; every schema field is a column of its source with the
/// matching type (a test reads the files back to check).
/// </summary>
internal static class AdtechTemplate
{
    public static IReadOnlyList<TemplateFile> Files { get; } =
    [
        new("granary.yaml", """
            # The quickstart feature repository: click-through and conversion features for ad ranking.
            # Every other *.yaml file in this folder holds definitions; data/ holds 30 days of generated events.
            project: adtech                 # identifier: letters, digits, underscores

            registry: data/registry.db      # the embedded SQLite registry; or {type: postgres, connection: "Host=...;Username=${PGUSER}"}

            offline_store:
              type: duckdb                  # reads data/*.parquet in place; or {type: postgres, connection: ...}

            online_store:
              type: embedded                # latest values in a local file; or {type: redis, connection: ...}

            """),
        new("entities.yaml", """
            # The things features describe. A join key is the column that identifies one in every source.

            entities:
              - name: user
                join_keys: [user_id]
                value_type: int64
                description: A person who sees ads.
                owner: growth@example.com
                tags: {team: growth}

              - name: ad
                join_keys: [ad_id]
                value_type: int64
                description: One creative of one advertiser's campaign.
                owner: ads-platform@example.com
                tags: {team: ads-platform}

            """),
        new("user_features.yaml", """
            # Features of users. Sources are Parquet files under data/, read in place; timestamps in them are UTC.

            sources:
              - name: users_source
                type: file
                path: data/users.parquet
                timestamp_field: event_timestamp     # when the profile row became valid
                created_timestamp_column: created    # when it was written; breaks ties on event_timestamp
                description: User profiles; a new row when a profile changes (for example a new device).

              - name: user_activity_source
                type: file
                path: data/user_activity.parquet
                timestamp_field: event_timestamp     # the end of the day each snapshot covers
                created_timestamp_column: created    # a few snapshots were backfilled days later; the later write wins
                description: Daily engagement snapshots computed by the batch pipeline.

              # Applications push fresher activity here; pushed rows share user_activity_source's schema.
              - name: user_activity_push
                type: push
                batch_source: user_activity_source

            feature_views:
              - name: user_profile
                entities: [user]
                ttl: 0                               # a profile stays valid until it changes
                source: users_source
                online: true
                schema:
                  - {name: age, dtype: int32}
                  - {name: country, dtype: string}
                  - {name: device, dtype: string}
                  - {name: signup_timestamp, dtype: unix_timestamp}
                owner: growth@example.com
                tags: {team: growth}
                description: Who the user is.

              - name: user_activity
                entities: [user]
                ttl: 2d                              # a snapshot older than two days is stale: treat it as missing
                source: user_activity_source
                online: true
                schema:
                  - {name: impressions_7d, dtype: int64}
                  - {name: clicks_7d, dtype: int64}
                  - {name: ctr_7d, dtype: float64}
                  - {name: conversions_30d, dtype: int64}
                  - {name: spend_30d, dtype: float64}
                owner: growth@example.com
                tags: {team: growth}
                description: Rolling engagement per user.

            """),
        new("ad_features.yaml", """
            # Features of ads.

            sources:
              - name: ads_source
                type: file
                path: data/ads.parquet
                timestamp_field: event_timestamp     # launch, or a later change of bid
                created_timestamp_column: created

              - name: ad_performance_source
                type: file
                path: data/ad_performance.parquet
                timestamp_field: event_timestamp     # the end of the day each row covers
                created_timestamp_column: created

            feature_views:
              - name: ad_metadata
                entities: [ad]
                ttl: 0
                source: ads_source
                online: true
                schema:
                  - {name: advertiser_id, dtype: int64}
                  - {name: category, dtype: string}
                  - {name: bid_cpm, dtype: float64}
                owner: ads-platform@example.com
                tags: {team: ads-platform}
                description: What the ad is and what its advertiser bids.

              - name: ad_performance
                entities: [ad]
                ttl: 2d
                source: ad_performance_source
                online: true
                schema:
                  - {name: impressions_1d, dtype: int64}
                  - {name: clicks_1d, dtype: int64}
                  - {name: ctr_7d, dtype: float64}
                owner: ads-platform@example.com
                tags: {team: ads-platform}
                description: Daily delivery and rolling click-through rate per ad.

            """),
        new("stream_features.yaml", """
            # Streaming features: windowed aggregations kept fresh online as events arrive, and computed from the
            # logged events at each row's time in training data. Applications push clicks to clicks_push as they
            # happen; pushed rows share click_log's columns, and with `to: online_and_offline` they are logged there.

            sources:
              - name: click_log
                type: file
                path: data/clicks.parquet
                timestamp_field: event_timestamp     # when the user clicked
                description: Every click on an ad, one row per click.

              - name: clicks_push
                type: push
                batch_source: click_log

            stream_feature_views:
              - name: user_clicks
                entities: [user]
                source: clicks_push
                event_id_field: impression_id        # a click delivered twice counts once
                hop: 1m                              # the windows' old edge moves in steps of a minute
                allowed_lateness: 10m                # a click older than the newest seen by more than this is rejected
                ttl: 0
                aggregations:
                  - {function: count, windows: [1h, 1d]}           # count_1h, count_1d
                  - {column: ad_id, function: approx_count_distinct, windows: [1d]}
                description: How much each user clicked in the last hour and day, fresh within a second of the click.

            """),
        new("derived_features.yaml", """
            # Derived features: SQL over the event logs and over other views, named {{ name }}. Each query returns
            # the entity's join key, event_timestamp and the features; a row's value uses only events before its
            # event_timestamp (here the end of the UTC day it covers), so training data stays point-in-time correct.
            # `granary apply` orders these after what they read; `granary materialize` runs them in that order.

            sources:
              - name: impression_log
                type: file
                path: data/impressions.parquet
                timestamp_field: event_timestamp     # when the ad was shown
                description: Every impression served, one row per impression.

              - name: conversion_log
                type: file
                path: data/conversions.parquet
                timestamp_field: event_timestamp     # when the user converted
                description: Every conversion with its revenue.

            derived_feature_views:
              - name: user_ctr
                entities: [user]
                ttl: 7d
                query: |
                  WITH events AS (
                      SELECT user_id, event_timestamp, 1 AS imps, 0 AS clks, 0 AS convs FROM {{ impression_log }}
                      UNION ALL SELECT user_id, event_timestamp, 0, 1, 0 FROM {{ click_log }}
                      UNION ALL SELECT user_id, event_timestamp, 0, 0, 1 FROM {{ conversion_log }}
                  ),
                  daily AS (
                      SELECT user_id, date_trunc('day', event_timestamp) + INTERVAL 1 DAY AS day_end,
                             sum(imps) AS imps, sum(clks) AS clks, sum(convs) AS convs
                      FROM events GROUP BY ALL
                  ),
                  rolling AS (
                      SELECT user_id, day_end, sum(imps) OVER w AS imps, sum(clks) OVER w AS clks, sum(convs) OVER w AS convs
                      FROM daily
                      WINDOW w AS (PARTITION BY user_id ORDER BY day_end RANGE BETWEEN INTERVAL 6 DAY PRECEDING AND CURRENT ROW)
                  )
                  SELECT user_id, day_end AS event_timestamp,
                         CAST(imps AS BIGINT) AS impressions_7d,
                         CAST(clks AS BIGINT) AS clicks_7d,
                         CAST(convs AS BIGINT) AS conversions_7d,
                         CASE WHEN imps > 0 THEN CAST(clks AS DOUBLE) / CAST(imps AS DOUBLE) END AS ctr_7d,
                         CASE WHEN clks > 0 THEN CAST(convs AS DOUBLE) / CAST(clks AS DOUBLE) END AS cvr_7d
                  FROM rolling
                schema:
                  - {name: impressions_7d, dtype: int64}
                  - {name: clicks_7d, dtype: int64}
                  - {name: conversions_7d, dtype: int64}
                  - {name: ctr_7d, dtype: float64}           # clicks / impressions over the 7 days to the row's time
                  - {name: cvr_7d, dtype: float64}           # conversions / clicks over the same days
                owner: growth@example.com
                description: Click-through and conversion rates per user over 7 days, computed from the logs.

              - name: user_value
                entities: [user]
                ttl: 7d
                query: |
                  WITH days AS (
                      SELECT DISTINCT user_id, date_trunc('day', event_timestamp) + INTERVAL 1 DAY AS day_end
                      FROM {{ impression_log }}
                  )
                  SELECT d.user_id, d.day_end AS event_timestamp,
                         CAST(coalesce(sum(c.revenue * exp(-(epoch(d.day_end) - epoch(c.event_timestamp)) / (30 * 86400.0))), 0) AS DOUBLE) AS ltv_decayed,
                         CAST((epoch(d.day_end) - epoch(max(c.event_timestamp))) / 86400.0 AS DOUBLE) AS recency_days,
                         CAST(count(c.user_id) FILTER (WHERE c.event_timestamp >= d.day_end - INTERVAL 30 DAY) AS BIGINT) AS frequency_30d,
                         CAST(coalesce(sum(c.revenue) FILTER (WHERE c.event_timestamp >= d.day_end - INTERVAL 30 DAY), 0) AS DOUBLE) AS monetary_30d
                  FROM days d
                  LEFT JOIN {{ conversion_log }} c ON c.user_id = d.user_id AND c.event_timestamp < d.day_end
                  GROUP BY d.user_id, d.day_end
                schema:
                  - {name: ltv_decayed, dtype: float64}      # revenue so far, each conversion weighted exp(-age / 30 days)
                  - {name: recency_days, dtype: float64}     # days since the last conversion; null before the first
                  - {name: frequency_30d, dtype: int64}      # conversions in the last 30 days
                  - {name: monetary_30d, dtype: float64}     # revenue in the last 30 days
                owner: growth@example.com
                description: Lifetime value with time decay and RFM (recency, frequency, monetary) per user.

              - name: user_engagement
                entities: [user]
                ttl: 7d
                query: |
                  SELECT r.user_id, r.event_timestamp,
                         CAST(100 * (0.4 * least(coalesce(r.ctr_7d, 0) / 0.1, 1)
                                   + 0.3 * least(coalesce(r.cvr_7d, 0) / 0.2, 1)
                                   + 0.3 * coalesce(exp(-v.recency_days / 14), 0)) AS DOUBLE) AS engagement_score
                  FROM {{ user_ctr }} r
                  ASOF LEFT JOIN {{ user_value }} v ON v.user_id = r.user_id AND r.event_timestamp >= v.event_timestamp
                schema:
                  - {name: engagement_score, dtype: float64} # 0..100 from CTR, CVR and how recently the user converted
                owner: growth@example.com
                description: An engagement score computed from the two derived views above, as of each row's time.

            """),
        new("on_demand_features.yaml", """
            # On-demand features: computed when they are read, from stored features and data that comes with the
            # request (Feast's request_context), by the same compiled expressions online and in training data, so
            # both agree. In training data the request fields are columns of the entity table.

            on_demand_feature_views:
              - name: bid_context
                sources: [user_ctr, user_engagement]
                request_schema:
                  - {name: bid_cpm, dtype: float64}     # the bid offered for this impression
                  - {name: hour, dtype: int32}          # the user's local hour
                features:
                  - {name: expected_cpm, dtype: float64, expr: "coalesce(user_ctr.ctr_7d, 0.0) * bid_cpm * 1000"}
                  - {name: engaged_night_owl, dtype: bool, expr: "hour < 6 and coalesce(user_engagement.engagement_score, 0.0) > 20"}
                  # Transforms: the part of the day (0 night, 1 morning, 2 afternoon, 3 evening) and a bounded bid.
                  - {name: daypart, dtype: int32, expr: "bucketize(hour, [6, 12, 18])"}
                  - {name: capped_bid_cpm, dtype: float64, expr: "clip(bid_cpm, 0, 10)"}
                owner: ranking@example.com
                description: The bid's expected value per thousand impressions, a late-night engagement flag, the part of the day and a capped bid.

            """),
        new("feature_services.yaml", """
            # The features each model reads, fetched together online and joined as of each row's time for training.
            # data/impressions.parquet (user_id, ad_id, event_timestamp, clicked, converted) is the training spine.

            feature_services:
              - name: ctr_model_v1
                description: Features for the click-through-rate model.
                owner: ranking@example.com
                features:
                  - user_activity:ctr_7d
                  - user_activity:impressions_7d
                  - user_activity:clicks_7d
                  - user_profile:age
                  - user_profile:device
                  - user_profile:country
                  - ad_performance:ctr_7d
                  - ad_metadata:category
                  - ad_metadata:bid_cpm

              - name: conversion_model_v1
                description: Features for the post-click conversion model.
                owner: ranking@example.com
                features:
                  - user_activity:conversions_30d
                  - user_activity:spend_30d
                  - user_activity:ctr_7d
                  - user_profile:age
                  - user_profile:country
                  - ad_metadata:category
                  - ad_metadata:bid_cpm

            """),
        new("recipes/ctr_experiment.yaml", """
            # A recipe: the features one model experiment needs, by namespace (a feature view) and name.
            # `granary augment --recipe ctr_experiment --entities data/impressions.parquet --output FILE` joins them,
            # as of each row's time, onto the spine in columns named {feature_namespace}__{feature}.
            augmenter:
              type: feature_store
              features:
                - feature_namespace: user_activity
                  features: [ctr_7d, clicks_7d, impressions_7d]
                - feature_namespace: user_profile
                  features: [age, device]
                - feature_namespace: ad_performance
                  features: [ctr_7d, impressions_1d]

            """),
        new("config/dev.yaml", """
            # The dev environment (`--env dev`, or GRANARY_ENV=dev), merged over granary.yaml key by key: a registry and
            # an online store of its own, so applying or materializing here never changes what the default
            # environment serves. It does not set offline_store, so it inherits granary.yaml's DuckDB engine.
            registry: data/dev-registry.db
            online_store:
              type: embedded
              path: data/dev-online.db

            """),
        new("config/prod.yaml", """
            # The prod environment (`--env prod`): a PostgreSQL registry and a Redis online store, their secrets read
            # from environment variables. `granary config show --env prod` shows them as ***.
            registry:
              type: postgres
              connection: "Host=${PROD_PG_HOST:-pg.internal};Database=granary;Username=granary;Password=${PROD_PG_PASSWORD:-}"
            online_store:
              type: redis
              connection: "${PROD_REDIS_HOST:-redis.internal}:6379,password=${PROD_REDIS_PASSWORD:-},ssl=true"

            """),
        new(".gitignore", """
            # The embedded registries are local state: `granary apply` rebuilds them from these files.
            data/registry.db*
            data/dev-registry.db*

            """),
    ];
}

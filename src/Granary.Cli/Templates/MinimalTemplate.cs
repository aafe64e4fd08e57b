namespace Granary.Cli.Templates;

/// <summary>
/// The <c>minimal</c> template: the smallest repository that applies cleanly and shows each kind of object once,
/// with a handful of CSV rows so that it can be materialized and queried straight away.
/// </summary>
internal static class MinimalTemplate
{
    public static IReadOnlyList<TemplateFile> Files(string project) =>
    [
        new("granary.yaml", $$"""
            # A Granary feature repository. Every other *.yaml file in this folder holds definitions.
            project: {{project}}            # identifier: letters, digits, underscores

            registry: data/registry.db      # the embedded SQLite registry; or {type: postgres, connection: "Host=...;Username=${PGUSER}"}

            offline_store:
              type: duckdb                  # reads the files under data/ in place; or {type: postgres, connection: ...}

            online_store:
              type: embedded                # latest values in a local file; or {type: redis, connection: ...}

            """),
        new("features.yaml", """
            # Definitions. Edit them, then `granary plan` shows what would change and `granary apply` records it.

            entities:
              - name: customer
                join_keys: [customer_id]
                value_type: int64
                description: A customer of the shop.

            sources:
              - name: customer_stats_source
                type: file
                path: data/customer_stats.csv     # relative to this folder; .parquet or .csv (with a header row)
                timestamp_field: event_timestamp  # when each row's values became true
                created_timestamp_column: created # when the row was written; the later write wins a tie

            feature_views:
              - name: customer_stats
                entities: [customer]
                ttl: 7d                           # a value older than this is treated as missing
                source: customer_stats_source
                online: true
                schema:
                  - {name: orders_30d, dtype: int64}
                  - {name: avg_order_value, dtype: float64}
                  - {name: is_subscriber, dtype: bool}
                description: Order statistics per customer, computed daily.

            feature_services:
              - name: churn_model_v1
                description: Features for a churn model.
                features:
                  - customer_stats:orders_30d
                  - customer_stats:avg_order_value
                  - customer_stats:is_subscriber

            """),

        // Timestamps carry an explicit UTC offset; Granary treats every timestamp as UTC.
        new("data/customer_stats.csv", """
            customer_id,event_timestamp,created,orders_30d,avg_order_value,is_subscriber
            1001,2026-10-30 00:00:00+00,2026-10-30 01:00:00+00,3,42.50,true
            1002,2026-10-30 00:00:00+00,2026-10-30 01:00:00+00,0,0.0,false
            1003,2026-10-30 00:00:00+00,2026-10-30 01:00:00+00,7,18.25,true
            1001,2026-10-31 00:00:00+00,2026-10-31 01:00:00+00,4,40.10,true
            1002,2026-10-31 00:00:00+00,2026-10-31 01:00:00+00,1,65.00,false
            1003,2026-10-31 00:00:00+00,2026-10-31 01:00:00+00,7,18.25,true

            """),
        new(".gitignore", """
            # The embedded registry is local state: `granary apply` rebuilds it from these files.
            data/registry.db*

            """),
    ];
}

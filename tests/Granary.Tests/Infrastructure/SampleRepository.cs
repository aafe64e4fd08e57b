namespace Granary.Tests.Infrastructure;

/// <summary>A small valid repository (two entities, CSV sources, two views, a service) that tests modify to make mistakes.</summary>
public static class SampleRepository
{
    public const string Config = """
        project: shop
        registry: data/registry.db
        """;

    public const string Entities = """
        entities:
          - name: user
            join_keys: [user_id]
            value_type: int64
            description: A shopper.
          - name: item
            join_keys: [item_id]
            value_type: string
        """;

    public const string Features = """
        sources:
          - name: user_stats_source
            type: file
            path: data/user_stats.csv
            timestamp_field: event_timestamp
            created_timestamp_column: created
          - name: user_stats_push
            type: push
            batch_source: user_stats_source
          - name: item_source
            type: file
            path: data/items.csv
            timestamp_field: ts
            field_mapping: {sku: item_id}
        feature_views:
          - name: user_stats
            entities: [user]
            ttl: 2d
            source: user_stats_source
            schema:
              - {name: orders_7d, dtype: int64}
              - {name: spend_7d, dtype: float64}
            tags: {team: growth}
          - name: item_info
            entities: [item]
            ttl: 0
            source: item_source
            online: false
            schema:
              - {name: price, dtype: float64}
              - {name: category, dtype: string}
        feature_services:
          - name: recommender
            features: [user_stats:orders_7d, item_info:price]
        """;

    public const string UserStatsCsv = """
        user_id,event_timestamp,created,orders_7d,spend_7d
        1,2026-11-01T00:00:00Z,2026-11-01T00:05:00Z,3,120.5
        2,2026-11-01T00:00:00Z,2026-11-01T00:05:00Z,0,0.0
        """;

    public const string ItemsCsv = """
        sku,ts,price,category
        A1,2026-10-01T00:00:00Z,9.99,books
        """;

    /// <summary>Writes the whole sample into <paramref name="repo"/>.</summary>
    public static TempRepository WriteTo(TempRepository repo) => repo
        .Write("granary.yaml", Config)
        .Write("entities.yaml", Entities)
        .Write("features/shop.yaml", Features)
        .Write("data/user_stats.csv", UserStatsCsv)
        .Write("data/items.csv", ItemsCsv);

    public static TempRepository Create() => WriteTo(new TempRepository());
}

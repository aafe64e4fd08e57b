namespace Granary.Tests.Streaming;

/// <summary>Stream view definitions as a user writes them in YAML, shared by the tests that build repositories from files.</summary>
internal static class StreamYaml
{
    /// <summary>
    /// Stream view <c>user_spend</c> over push source <c>txn_push</c>, the YAML of <see cref="StreamOfflineScenario.View"/>:
    /// every function over windows of 10m (hop 1m), 1h (hop 10m), 30m tumbling and lifetime, 10 minutes of allowed
    /// lateness, event ids in <c>txn_id</c>. A top-level <c>stream_feature_views:</c> section.
    /// </summary>
    public const string EveryFunctionView = """
        stream_feature_views:
          - name: user_spend
            entities: [user]
            source: txn_push
            event_id_field: txn_id
            hop: 1m
            allowed_lateness: 10m
            ttl: 0
            aggregations:
              - {function: count, windows: [10m, {window: 1h, hop: 10m}, {window: 30m, hop: 30m}, lifetime]}
              - {column: merchant, function: count, windows: [10m]}
              - {column: amount, function: sum, windows: [10m, {window: 1h, hop: 10m}, lifetime]}
              - {column: units, function: sum, windows: [{window: 1h, hop: 10m}]}
              - {column: amount, function: mean, windows: [{window: 1h, hop: 10m}]}
              - {column: amount, function: variance, windows: [{window: 1h, hop: 10m}]}
              - {column: units, function: stddev, windows: [10m]}
              - {column: merchant, function: min, windows: [{window: 1h, hop: 10m}, {window: 30m, hop: 30m}]}
              - {column: amount, function: max, windows: [{window: 1h, hop: 10m}, {window: 30m, hop: 30m}]}
              - {column: units, function: min, windows: [10m]}
              - {column: merchant, function: first, windows: [{window: 1h, hop: 10m}]}
              - {column: amount, function: last, windows: [{window: 30m, hop: 30m}]}
              - {column: merchant, function: last_k, k: 3, windows: [{window: 1h, hop: 10m}]}
              - {column: merchant, function: approx_count_distinct, windows: [{window: 1h, hop: 10m}, lifetime]}
              - {column: amount, function: approx_percentile, percentiles: [50, 90], windows: [{window: 1h, hop: 10m}]}
        """;
}

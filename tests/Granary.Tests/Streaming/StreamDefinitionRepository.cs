using Granary.Tests.Infrastructure;

namespace Granary.Tests.Streaming;

/// <summary>
/// A repository holding the stream definitions of issue 15 word for word (<c>streams.yaml</c>), beside what they refer
/// to (<c>base.yaml</c>: the <c>user</c> entity, the <c>click_log</c> source, a feature service) and real Parquet files
/// for both batch sources, so plan inspects the columns the event types come from.
/// </summary>
public static class StreamDefinitionRepository
{
    /// <summary>The example of the issue's "Definitions" section, unchanged.</summary>
    public const string IssueExample = """
        sources:
          - {name: txn_log, type: file, path: data/transactions.parquet, timestamp_field: event_timestamp}
          - {name: transactions_push, type: push, batch_source: txn_log}
          - {name: transactions_stream, type: redis_stream, connection: "127.0.0.1:6379", stream: transactions, group: granary, batch_source: txn_log, timestamp_field: event_timestamp}
          - {name: clicks_nats, type: nats, url: "nats://127.0.0.1:4222", stream: CLICKS, subject: clicks.>, durable: granary, batch_source: click_log, timestamp_field: ts}
        stream_feature_views:
          - name: user_spend
            entities: [user]
            source: transactions_push        # a push, redis_stream or nats source
            event_id_field: txn_id           # optional: a repeated id is counted once
            hop: 1m                          # default hop for every window: how finely the old edge moves
            allowed_lateness: 10m
            ttl: 0
            aggregations:
              - {column: amount, function: sum, windows: [1h, 1d, {window: 7d, hop: 1h}]}
              - {column: amount, function: mean, windows: [1h]}
              - {function: count, windows: [1h, lifetime]}
              - {column: merchant_id, function: approx_count_distinct, windows: [1d]}
              - {column: amount, function: approx_percentile, percentiles: [50, 99], windows: [1d]}
              - {column: merchant_id, function: last_k, k: 5, windows: [1d]}
        """;

    public const string Base = """
        entities:
          - {name: user, join_keys: [user_id], value_type: int64}
        sources:
          - {name: click_log, type: file, path: data/clicks.parquet, timestamp_field: ts}
        feature_services:
          - {name: fraud_model, features: [user_spend:sum_amount_1h, user_spend:count_lifetime, user_spend:last_k_merchant_id_1d]}
        """;

    /// <summary>The logged transactions' columns: what the events of <c>transactions_push</c> carry.</summary>
    public const string TransactionColumns = """
        SELECT 1::BIGINT AS user_id, TIMESTAMPTZ '2026-11-01 00:00:00+00' AS event_timestamp, 'tx-1' AS txn_id,
            12.5::DOUBLE AS amount, 1250::BIGINT AS amount_cents, 42::BIGINT AS merchant_id, 3::INTEGER AS items,
            'card' AS method
        """;

    private const string ClickColumns = """
        SELECT 1::BIGINT AS user_id, TIMESTAMPTZ '2026-11-01 00:00:00+00' AS ts, 'https://example.com/' AS url
        """;

    /// <summary>The issue's example with its supporting definitions and data; <paramref name="streams"/> replaces the example.</summary>
    public static async Task<TempRepository> CreateAsync(string project = "fraud", string? streams = null)
    {
        var repo = new TempRepository()
            .Write("granary.yaml", $"project: {project}\nregistry: data/registry.db\n")
            .Write("base.yaml", Base)
            .Write("streams.yaml", streams ?? IssueExample);
        await ParquetFiles.WriteAsync(repo, "data/transactions.parquet", TransactionColumns);
        await ParquetFiles.WriteAsync(repo, "data/clicks.parquet", ClickColumns);
        return repo;
    }
}

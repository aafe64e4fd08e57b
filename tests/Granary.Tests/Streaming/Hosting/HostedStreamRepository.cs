using System.Globalization;
using Granary.Tests.Infrastructure;
using StackExchange.Redis;

namespace Granary.Tests.Streaming.Hosting;

/// <summary>
/// A feature repository in YAML whose stream view <c>spend</c> (sum of <c>amount</c> over 1h and 1d, a lifetime
/// count, ids in <c>txn_id</c>) reads a real Redis stream or NATS JetStream stream, logged to the Parquet source
/// <c>txn_log</c> (empty at first), with the embedded online store and DuckDB; applied before it is handed out.
/// </summary>
internal static class HostedStreamRepository
{
    public const string View = "spend";
    public const string Source = "txn_stream";

    /// <summary>A push-fed stream view and an ordinary view beside <see cref="View"/>, for the commands' refusals.</summary>
    private const string Others = """
          - name: pushed_spend
            entities: [user]
            source: txn_push
            allowed_lateness: 1h
            aggregations:
              - {function: count, windows: [lifetime]}
        feature_views:
          - name: txn_profile
            entities: [user]
            source: txn_log
            schema: [{name: amount, dtype: float64}]
        """;

    /// <summary>A repository reading Redis stream <paramref name="stream"/> on <paramref name="redis"/>, group <c>granary</c>.</summary>
    public static Task<TempRepository> RedisAsync(string redis, string stream) =>
        CreateAsync($"{{name: {Source}, type: redis_stream, connection: \"{redis}\", stream: {stream}, group: granary, batch_source: txn_log, timestamp_field: event_timestamp}}");

    /// <summary>A repository reading JetStream stream <paramref name="stream"/> (subject <c>{stream}.&gt;</c>) on <paramref name="url"/>, durable <c>granary</c>.</summary>
    public static Task<TempRepository> NatsAsync(string url, string stream) =>
        CreateAsync($"{{name: {Source}, type: nats, url: \"{url}\", stream: {stream}, subject: \"{stream}.>\", durable: granary, batch_source: txn_log, timestamp_field: event_timestamp}}");

    private static async Task<TempRepository> CreateAsync(string source)
    {
        var repo = new TempRepository()
            .Write("granary.yaml", "project: hosting\nregistry: data/registry.db\n")
            .Write("features.yaml", $$"""
                entities:
                  - {name: user, join_keys: [user_id], value_type: int64}
                sources:
                  - {name: txn_log, type: file, path: data/transactions.parquet, timestamp_field: event_timestamp}
                  - {name: txn_push, type: push, batch_source: txn_log}
                  - {{source}}
                stream_feature_views:
                  - name: {{View}}
                    entities: [user]
                    source: {{Source}}
                    event_id_field: txn_id
                    hop: 1m
                    allowed_lateness: 1h
                    aggregations:
                      - {column: amount, function: sum, windows: [1h, 1d]}
                      - {function: count, windows: [lifetime]}
                {{Others}}
                """);
        await ParquetFiles.WriteAsync(repo, "data/transactions.parquet", """
            SELECT 0::BIGINT AS user_id, TIMESTAMPTZ '2026-01-01 00:00:00+00' AS event_timestamp, 'none' AS txn_id, 0.0::DOUBLE AS amount LIMIT 0
            """);
        var apply = await CliRunner.RunAsync("apply", "--repo", repo.Root);
        Assert.True(apply.Exit == 0, apply.Err);
        return repo;
    }

    /// <summary>One event's fields as a Redis entry carries them (NATS bodies are <see cref="Json"/>).</summary>
    public static KeyValuePair<string, string>[] Fields(HostedEvent e) =>
    [
        new("user_id", e.User.ToString(CultureInfo.InvariantCulture)),
        new("event_timestamp", e.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture)),
        new("txn_id", e.Id),
        new("amount", e.Amount.ToString(CultureInfo.InvariantCulture)),
    ];

    /// <summary>XADDs each event, as <see cref="Fields"/>, to Redis stream <paramref name="stream"/>, ids chosen by Redis.</summary>
    public static async Task AddAsync(IDatabase db, string stream, IEnumerable<HostedEvent> events)
    {
        foreach (var e in events)
        {
            await db.StreamAddAsync(stream, Entry(e));
        }
    }

    public static NameValueEntry[] Entry(HostedEvent e) => [.. Fields(e).Select(f => new NameValueEntry(f.Key, f.Value))];

    public static string Json(HostedEvent e) =>
        $"{{\"user_id\":{e.User},\"event_timestamp\":\"{e.Time.UtcDateTime:yyyy-MM-ddTHH:mm:ss.ffffffZ}\",\"txn_id\":\"{e.Id}\",\"amount\":{e.Amount.ToString(CultureInfo.InvariantCulture)}}}";
}

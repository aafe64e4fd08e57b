using Granary.Core.Time;
using Granary.Push;
using Granary.Registry;
using Granary.Streaming.Aggregation;
using Granary.Streaming.Definitions;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Streaming.EndToEnd;

/// <summary>
/// A repository as a user writes it for the end-to-end stream tests: the <c>user</c> entity, a Parquet batch source
/// <c>txn_log</c> (no rows of its own: every event is pushed), push source <c>txn_push</c> over it, and stream view
/// <c>user_spend</c> with every function over windows of 10m (hop 1m), 1h (hop 10m), 30m tumbling and lifetime,
/// 10 minutes of allowed lateness and event ids in <c>txn_id</c>.
/// </summary>
internal static class StreamParityRepository
{
    public const string View = "user_spend";
    public const string PushSource = "txn_push";

    public static readonly TimeSpan Lateness = TimeSpan.FromMinutes(10);

    /// <summary>The hand-written tests' events are minutes from here.</summary>
    public static readonly DateTimeOffset Noon = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public const string Definitions = $$"""
        entities:
          - {name: user, join_keys: [user_id], value_type: int64}
        sources:
          - {name: txn_log, type: file, path: data/txn.parquet, timestamp_field: event_timestamp}
          - {name: txn_push, type: push, batch_source: txn_log}
        {{StreamYaml.EveryFunctionView}}
        """;

    /// <summary>The batch source's columns, no rows.</summary>
    private const string LogColumns = """
        SELECT 1::BIGINT AS user_id, TIMESTAMPTZ '2026-03-01 00:00:00+00' AS event_timestamp, 0.0::DOUBLE AS amount,
            0::BIGINT AS units, '' AS merchant, '' AS txn_id
        WHERE false
        """;

    /// <param name="onlineStore">The <c>online_store</c> value for granary.yaml; null for the default (embedded).</param>
    public static async Task<TempRepository> CreateAsync(string project, string? onlineStore = null)
    {
        var config = $"project: {project}\nregistry: data/registry.db\n" + (onlineStore is null ? "" : $"online_store: {onlineStore}\n");
        var repo = new TempRepository().Write("granary.yaml", config).Write("streams.yaml", Definitions);
        await ParquetFiles.WriteAsync(repo, "data/txn.parquet", LogColumns);
        return repo;
    }

    /// <summary>The view's aggregation plan as the registry holds it: the features' names, windows and functions.</summary>
    public static AggregationPlan Plan(RegistryContents registry) =>
        StreamPlanCompiler.Compile(registry.Definitions.FeatureViews.Single(v => v.Name == View).Stream!);

    /// <summary>Pushed columns as the push API takes them: user_id, event_timestamp, amount, units, merchant, txn_id.</summary>
    public static Dictionary<string, IReadOnlyList<object?>> Columns(IReadOnlyList<Arrival> rows) => new()
    {
        ["user_id"] = rows.Select(r => (object?)(long)r.Key).ToList(),
        ["event_timestamp"] = rows.Select(r => (object?)UtcMicros.ToDateTimeOffset(r.Event.Micros)).ToList(),
        ["amount"] = rows.Select(r => (object?)r.Event.Amount).ToList(),
        ["units"] = rows.Select(r => (object?)r.Event.Units).ToList(),
        ["merchant"] = rows.Select(r => (object?)r.Event.Merchant).ToList(),
        ["txn_id"] = rows.Select(r => (object?)r.Id).ToList(),
    };

    /// <summary>Pushes hand-written events (minutes from <see cref="Noon"/>, one unit each) online and offline.</summary>
    public static Task<PushResult> PushAsync(FeatureStore store, params (long User, int Minutes, double Amount, string Merchant, string Id)[] rows) =>
        store.PushAsync(new PushRequest
        {
            PushSourceName = PushSource,
            To = PushTarget.OnlineAndOffline,
            Columns = new Dictionary<string, IReadOnlyList<object?>>
            {
                ["user_id"] = rows.Select(r => (object?)r.User).ToList(),
                ["event_timestamp"] = rows.Select(r => (object?)Noon.AddMinutes(r.Minutes)).ToList(),
                ["amount"] = rows.Select(r => (object?)r.Amount).ToList(),
                ["units"] = rows.Select(_ => (object?)1L).ToList(),
                ["merchant"] = rows.Select(r => (object?)r.Merchant).ToList(),
                ["txn_id"] = rows.Select(r => (object?)r.Id).ToList(),
            },
        });
}

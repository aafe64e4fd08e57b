using Granary.Tests.Infrastructure;

namespace Granary.Tests.Server.Values;

/// <summary>
/// The served sample plus a push view with a feature of every scalar kind but bytes, keyed by an int64 account id,
/// so that each kind's encoding can be checked over the real server. One subclass per online store.
/// </summary>
public abstract class TypedServedRepository : ServedRepository
{
    public const string TypedViews = """
        entities:
          - name: account
            join_keys: [account_id]
            value_type: int64
        sources:
          - name: typed_source
            type: file
            path: data/typed.csv
            timestamp_field: event_timestamp
          - name: typed_push
            type: push
            batch_source: typed_source
        feature_views:
          - name: typed
            entities: [account]
            ttl: 0
            source: typed_push
            schema:
              - {name: small, dtype: int32}
              - {name: big, dtype: int64}
              - {name: ratio, dtype: float32}
              - {name: score, dtype: float64}
              - {name: seen_at, dtype: unix_timestamp}
              - {name: label, dtype: string}
        """;

    public const string TypedCsv = """
        account_id,event_timestamp,small,big,ratio,score,seen_at,label
        1,2026-11-01T00:00:00Z,1,1,0.5,0.5,2026-11-01T00:00:00Z,a
        """;

    public override Task InitializeAsync()
    {
        Repo.Write("typed.yaml", TypedViews).Write("data/typed.csv", TypedCsv);
        return base.InitializeAsync();
    }
}

/// <summary>Served over the embedded online store.</summary>
public sealed class EmbeddedTypedServedRepository : TypedServedRepository
{
    protected override Task<string> OnlineStoreYamlAsync() => Task.FromResult("{type: embedded}");
}

/// <summary>Served over a real Redis started for the class.</summary>
public sealed class RedisTypedServedRepository : TypedServedRepository
{
    private readonly RedisServer _redis = new();

    protected override async Task<string> OnlineStoreYamlAsync()
    {
        await _redis.InitializeAsync();
        return $"{{type: redis, connection: \"{_redis.ConnectionString}\"}}";
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _redis.DisposeAsync();
    }
}

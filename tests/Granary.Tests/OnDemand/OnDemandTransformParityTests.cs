using System.Collections;
using System.Globalization;
using Granary.Historical;
using Granary.Offline.DuckDb;
using Granary.Offline.Files;
using Granary.Offline.Retrieval;
using Granary.OnlineServing;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.OnDemand;

/// <summary>
/// The transform functions in on-demand features, online and in training data from the same inputs: clip, fill_null,
/// bucketize, hash_bucket and one_hot over request fields and stored features, and dot, cosine and l2_norm over
/// stored embeddings (list&lt;float32&gt;), nulls and mismatched lengths included. One subclass per online store.
/// </summary>
public abstract class OnDemandTransformParityTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    private const string Definitions = """
        entities:
          - {name: user, join_keys: [user_id], value_type: int64}
        sources:
          - {name: profiles, type: file, path: data/profiles.parquet, timestamp_field: event_timestamp}
        feature_views:
          - name: profile
            entities: [user]
            ttl: 0
            source: profiles
            schema:
              - {name: score, dtype: float64}
              - {name: visits, dtype: int64}
              - {name: country, dtype: string}
              - {name: embedding, dtype: list<float32>}
              - {name: other, dtype: list<float32>}
              - {name: seen_at, dtype: unix_timestamp}
        on_demand_feature_views:
          - name: shaped
            sources: [profile]
            request_schema: [{name: amount, dtype: float64}, {name: channel, dtype: string}]
            features:
              - {name: clipped, dtype: float64, expr: "clip(amount, 0, 100)"}
              - {name: visits_or_zero, dtype: int64, expr: "fill_null(profile.visits, 0)"}
              - {name: score_bucket, dtype: int64, expr: "bucketize(profile.score, [0, 0.5, 1])"}
              - {name: country_bucket, dtype: int64, expr: "hash_bucket(profile.country, 16)"}
              - {name: channel_hot, dtype: list<int32>, expr: 'one_hot(channel, ["web", "app", "email"])'}
              - {name: affinity, dtype: float64, expr: "dot(profile.embedding, profile.other)"}
              - {name: similarity, dtype: float64, expr: "cosine(profile.embedding, profile.other)"}
              - {name: norm, dtype: float32, expr: "l2_norm(profile.embedding)"}
              - {name: seen_hour, dtype: int32, expr: 'date_part("hour", profile.seen_at)'}
              - {name: seen_dow, dtype: int64, expr: "date_part('dow', profile.seen_at)"}
          - name: matched
            sources: [profile]
            request_schema: [{name: query, dtype: list<float32>}]
            features:
              - {name: match, dtype: float64, expr: "cosine(query, profile.embedding)"}
        """;

    private static readonly string[] Computed = ["clipped", "visits_or_zero", "score_bucket", "country_bucket", "channel_hot", "affinity", "similarity", "norm", "seen_hour", "seen_dow"];

    private static readonly (long User, double? Amount, string? Channel)[] Rows =
    [
        (1, 150.0, "web"), (2, -3.0, "email"), (3, 42.5, null), (4, null, "tv"), (5, 7.0, "app"), (1, 0.5, "app"),
    ];

    /// <summary>The <c>online_store</c> section of granary.yaml.</summary>
    protected abstract string OnlineStoreYaml();

    private async Task<(TempRepository Repo, FeatureStore Store)> MaterializedAsync()
    {
        var repo = new TempRepository()
            .Write("granary.yaml", $"project: p{Guid.NewGuid():N}\nregistry: data/registry.db\nonline_store: {OnlineStoreYaml()}\n")
            .Write("features.yaml", Definitions)
            .Write("entities.csv", "user_id,event_timestamp,amount,channel\n" + string.Concat(Rows.Select(r => FormattableString.Invariant($"{r.User},2026-11-02T00:00:00Z,{r.Amount},{r.Channel}\n"))));
        await WriteProfilesAsync(repo);
        var store = new FeatureStoreBuilder(repo.Root).UseTimeProvider(new FakeTimeProvider(Now)).Build();
        await store.ApplyAsync();
        await store.MaterializeAsync(DateTimeOffset.UnixEpoch, Now, ["profile"]);
        return (repo, store);
    }

    [Fact]
    public async Task A_query_embedding_in_the_request_is_compared_with_a_stored_one()
    {
        var (repo, store) = await MaterializedAsync();
        using var _ = repo;
        await using var __ = store;

        var online = await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Features = ["matched:match"],
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [1L, 1L, 4L] },
            RequestContext = new Dictionary<string, IReadOnlyList<object?>> { ["query"] = [new List<object?> { 2L, 4L }, new List<object?> { -2.0, 1.0 }, new List<object?> { 1L }] },
        });

        Assert.Equal(1.0, online["match"].Values[0].AsFloat64(), 12);
        Assert.Equal(0.0, online["match"].Values[1].AsFloat64(), 12);
        Assert.True(online["match"].Values[2].IsNull);
    }

    [Fact]
    public async Task Every_transform_gives_online_what_training_data_gives_for_the_same_inputs()
    {
        var (repo, created) = await MaterializedAsync();
        using var _ = repo;
        await using var store = created;
        var features = Computed.Select(f => $"shaped:{f}").ToArray();

        var online = await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Features = features,
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = Rows.Select(r => (object?)r.User).ToList() },
            RequestContext = new Dictionary<string, IReadOnlyList<object?>>
            {
                ["amount"] = Rows.Select(r => (object?)r.Amount).ToList(),
                ["channel"] = Rows.Select(r => (object?)r.Channel).ToList(),
            },
        });
        var offline = await store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest { Entities = EntityTable.FromFile(Path.Combine(repo.Root, "entities.csv")), Features = features });
        await using var rows = await offline.ReadAsync();
        var r = 0;
        var values = 0;
        while (await rows.Reader.ReadAsync())
        {
            foreach (var feature in Computed)
            {
                var ordinal = rows.Reader.GetOrdinal(feature);
                var fromTraining = Text(rows.Reader.IsDBNull(ordinal) ? null : rows.Reader.GetValue(ordinal));
                var fromServing = Text(online[feature].Values[r].ToObject());
                Assert.True(fromTraining == fromServing, $"row {r} {feature}: online {fromServing}, training {fromTraining}");
                values += fromServing == "null" ? 0 : 1;
            }

            r++;
        }

        Assert.Equal(Rows.Length, r);
        Assert.True(values >= 30, $"only {values} values were not null");
        Assert.Equal("[1, 0, 0]", Text(online["channel_hot"].Values[0].ToObject()));
        Assert.Equal("[0, 0, 0]", Text(online["channel_hot"].Values[3].ToObject()));
        Assert.Equal("100", Text(online["clipped"].Values[0].ToObject()));
        Assert.Equal("2", Text(online["score_bucket"].Values[0].ToObject()));
        Assert.Equal("11", Text(online["affinity"].Values[0].ToObject()));
        Assert.Equal(("23", "6"), (Text(online["seen_hour"].Values[0].ToObject()), Text(online["seen_dow"].Values[0].ToObject())));
        Assert.Equal("10", Text(online["seen_hour"].Values[2].ToObject()));
    }

    // user 1: embedding [1, 2], other [3, 4] (dot 11); 2: a zero embedding (no cosine); 3: lengths differ;
    // 4: no embedding, visits or country; 5: a row with everything.
    private static async Task WriteProfilesAsync(TempRepository repo)
    {
        Directory.CreateDirectory(Path.Combine(repo.Root, "data"));
        var parquet = Path.Combine(repo.Root, "data", "profiles.parquet").Replace("'", "''", StringComparison.Ordinal);
        await using var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            COPY (
                SELECT * FROM (VALUES
                    (1::BIGINT, TIMESTAMPTZ '2026-11-01 00:00:00+00', 0.75::DOUBLE, 12::BIGINT, 'NL'::VARCHAR, [1, 2]::FLOAT[], [3, 4]::FLOAT[], TIMESTAMPTZ '2026-10-31 23:30:00+00'),
                    (2::BIGINT, TIMESTAMPTZ '2026-11-01 00:00:00+00', -1.0::DOUBLE, 0::BIGINT, 'US'::VARCHAR, [0, 0]::FLOAT[], [1, 1]::FLOAT[], TIMESTAMPTZ '1969-12-31 05:00:00+00'),
                    (3::BIGINT, TIMESTAMPTZ '2026-11-01 00:00:00+00', 0.5::DOUBLE, 3::BIGINT, '日本'::VARCHAR, [1, 2, 3]::FLOAT[], [1]::FLOAT[], TIMESTAMPTZ '2026-06-01 12:00:00+02'),
                    (4::BIGINT, TIMESTAMPTZ '2026-11-01 00:00:00+00', NULL::DOUBLE, NULL::BIGINT, NULL::VARCHAR, NULL::FLOAT[], [1]::FLOAT[], NULL::TIMESTAMPTZ),
                    (5::BIGINT, TIMESTAMPTZ '2026-11-01 00:00:00+00', 2.0::DOUBLE, 40::BIGINT, 'DE'::VARCHAR, [0.5, -0.25, 4]::FLOAT[], [2, 8, 0.125]::FLOAT[], TIMESTAMPTZ '2026-11-01 00:00:00+00')
                ) t(user_id, event_timestamp, score, visits, country, embedding, other, seen_at)
            ) TO '{parquet}' (FORMAT parquet)
            """;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>One text for a value from either side: lists as [a, b], numbers in round-trip form, null as null.</summary>
    private static string Text(object? value) => value switch
    {
        null => "null",
        string s => s,
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Text)) + "]",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

public sealed class EmbeddedOnDemandTransformParityTests : OnDemandTransformParityTests
{
    protected override string OnlineStoreYaml() => "{type: embedded}";
}

[Collection(RedisCollection.Name)]
public sealed class RedisOnDemandTransformParityTests(RedisServer redis) : OnDemandTransformParityTests
{
    protected override string OnlineStoreYaml() => $"{{type: redis, connection: \"{redis.ConnectionString}\"}}";
}

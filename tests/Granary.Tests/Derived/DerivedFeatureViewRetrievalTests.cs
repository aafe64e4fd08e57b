using System.Globalization;
using System.Text;
using Granary.Historical;
using Granary.Offline.Retrieval;
using Granary.OnlineServing;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Derived;

/// <summary>
/// A chain of derived views (<c>purchases</c> → <c>user_totals</c> → <c>user_level</c>) in training data and online:
/// historical values against a naive reference that sums every purchase at or before each row's time, materialization
/// in dependency order, and online values equal to offline ones at the same instant. One subclass per online store,
/// and one with the PostgreSQL offline engine, which runs each view's <c>query_postgres</c>.
/// </summary>
public abstract class DerivedFeatureViewRetrievalTests
{
    private static readonly DateTimeOffset Now = DerivedRepository.Start.AddDays(11);

    /// <summary>The <c>online_store</c> section of granary.yaml for this store.</summary>
    protected abstract string OnlineStoreYaml();

    /// <summary>The repository over <paramref name="purchases"/>: by default the CSV log, read by DuckDB.</summary>
    protected virtual Task<TempRepository> RepositoryAsync(IReadOnlyList<(long User, DateTimeOffset Time, double Amount)> purchases) =>
        Task.FromResult(DerivedRepository.Create($"project: d{Guid.NewGuid():N}\nonline_store: {OnlineStoreYaml()}\n", purchases));

    [Theory]
    [InlineData(11)]
    [InlineData(23)]
    [InlineData(57)]
    public async Task Historical_values_through_the_chain_use_only_inputs_at_or_before_each_rows_time(int seed)
    {
        var purchases = DerivedRepository.Purchases(seed, count: 40);
        using var repo = await RepositoryAsync(purchases);
        var random = new Random(seed * 7);

        // Rows at random times, at exactly some purchase times, and one before any purchase.
        var rows = new List<(long User, DateTimeOffset Time)>();
        for (var i = 0; i < 30; i++)
        {
            rows.Add((random.Next(1, 6), DerivedRepository.Start.AddMinutes(random.Next(-60, 11 * 24 * 60))));
        }

        rows.AddRange(purchases.Take(8).Select(p => (p.User, p.Time)));
        var table = new StringBuilder("user_id,event_timestamp\n");
        foreach (var (user, time) in rows)
        {
            table.Append(CultureInfo.InvariantCulture, $"{user},{DerivedRepository.Iso(time)}\n");
        }

        repo.Write("entities.csv", table.ToString());
        await using var store = new FeatureStoreBuilder(repo.Root).UseTimeProvider(new FakeTimeProvider(Now)).Build();
        await store.ApplyAsync();

        var result = await store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest
        {
            Entities = EntityTable.FromFile(Path.Combine(repo.Root, "entities.csv")),
            Features = ["user_totals:total", "user_totals:purchase_count", "user_level:level"],
        });
        var actual = await ReadAsync(result);

        var expected = rows.Select(r =>
        {
            var seen = purchases.Where(p => p.User == r.User && p.Time <= r.Time).ToList();
            double? total = seen.Count == 0 ? null : seen.Sum(p => p.Amount);
            return (r.User, r.Time, total, Count: seen.Count == 0 ? (long?)null : seen.Count, Level: total is null ? null : total >= 100 ? "gold" : "basic");
        }).OrderBy(r => r.User).ThenBy(r => r.Time).ThenBy(r => r.total).ToList();
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(
            expected.Select(e => (e.User, e.Time, e.total is null ? (double?)null : Math.Round(e.total.Value, 6), e.Count, e.Level)),
            actual.OrderBy(r => r.User).ThenBy(r => r.Time).ThenBy(r => r.Total).Select(a => (a.User, a.Time, a.Total is null ? (double?)null : Math.Round(a.Total.Value, 6), a.Count, a.Level)));
    }

    [Fact]
    public async Task Materialization_runs_derived_views_after_what_they_read_and_online_equals_offline_now()
    {
        var purchases = DerivedRepository.Purchases(seed: 5, count: 30);
        using var repo = await RepositoryAsync(purchases);
        long[] users = [1, 2, 3, 4, 9];
        repo.Write("entities.csv", "user_id,event_timestamp\n" + string.Concat(users.Select(u => $"{u},{DerivedRepository.Iso(Now)}\n")));
        await using var store = new FeatureStoreBuilder(repo.Root).UseTimeProvider(new FakeTimeProvider(Now)).Build();
        await store.ApplyAsync();

        var materialized = await store.MaterializeAsync(DateTimeOffset.UnixEpoch, Now);
        var online = await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
        {
            Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [.. users.Cast<object?>()] },
            Features = ["user_totals:total", "user_totals:purchase_count", "user_level:level"],
        });
        var offline = await ReadAsync(await store.GetHistoricalFeaturesAsync(new HistoricalFeaturesRequest
        {
            Entities = EntityTable.FromFile(Path.Combine(repo.Root, "entities.csv")),
            Features = ["user_totals:total", "user_totals:purchase_count", "user_level:level"],
        }));

        var order = materialized.Select(m => m.View).ToList();
        Assert.True(order.IndexOf("purchases") < order.IndexOf("user_totals"), string.Join(", ", order));
        Assert.True(order.IndexOf("user_totals") < order.IndexOf("user_level"), string.Join(", ", order));
        for (var i = 0; i < users.Length; i++)
        {
            var row = Assert.Single(offline, r => r.User == users[i]);
            var total = online["total"];
            var count = online["purchase_count"];
            var level = online["level"];
            Assert.Equal(row.Total, total.Statuses[i] == FeatureStatus.Present ? total.Values[i].AsFloat64() : null);
            Assert.Equal(row.Count, count.Statuses[i] == FeatureStatus.Present ? count.Values[i].AsInt64() : null);
            Assert.Equal(row.Level, level.Statuses[i] == FeatureStatus.Present ? level.Values[i].AsString() : null);
        }

        // User 9 never bought anything; the others did, so the comparison above is not between two empty answers.
        Assert.Equal(FeatureStatus.NotFound, online["total"].Statuses[4]);
        Assert.All(offline.Where(r => r.User != 9), r => Assert.NotNull(r.Total));
    }

    private static async Task<List<(long User, DateTimeOffset Time, double? Total, long? Count, string? Level)>> ReadAsync(HistoricalFeatures result)
    {
        await using var rows = await result.ReadAsync();
        var reader = rows.Reader;
        var list = new List<(long, DateTimeOffset, double?, long?, string?)>();
        while (await reader.ReadAsync())
        {
            var time = reader.GetValue(reader.GetOrdinal("event_timestamp")) switch
            {
                DateTimeOffset d => d,
                DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
                var other => throw new InvalidOperationException($"Unexpected timestamp {other}"),
            };
            list.Add((
                Convert.ToInt64(reader.GetValue(reader.GetOrdinal("user_id")), CultureInfo.InvariantCulture),
                time,
                reader.IsDBNull(reader.GetOrdinal("total")) ? null : Convert.ToDouble(reader.GetValue(reader.GetOrdinal("total")), CultureInfo.InvariantCulture),
                reader.IsDBNull(reader.GetOrdinal("purchase_count")) ? null : Convert.ToInt64(reader.GetValue(reader.GetOrdinal("purchase_count")), CultureInfo.InvariantCulture),
                reader.IsDBNull(reader.GetOrdinal("level")) ? null : reader.GetString(reader.GetOrdinal("level"))));
        }

        return list;
    }
}

public sealed class EmbeddedDerivedFeatureViewRetrievalTests : DerivedFeatureViewRetrievalTests
{
    protected override string OnlineStoreYaml() => "{type: embedded}";
}

[Collection(RedisCollection.Name)]
public sealed class RedisDerivedFeatureViewRetrievalTests(RedisServer redis) : DerivedFeatureViewRetrievalTests
{
    protected override string OnlineStoreYaml() => $"{{type: redis, connection: \"{redis.ConnectionString}\"}}";
}

/// <summary>The chain on the PostgreSQL offline engine: the log is a table, and user_totals runs its query_postgres.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresDerivedFeatureViewRetrievalTests(PostgresServer postgres) : DerivedFeatureViewRetrievalTests
{
    protected override string OnlineStoreYaml() => "{type: embedded}";

    protected override async Task<TempRepository> RepositoryAsync(IReadOnlyList<(long User, DateTimeOffset Time, double Amount)> purchases)
    {
        var connection = await postgres.CreateDatabaseAsync();
        await using (var db = Npgsql.NpgsqlDataSource.Create(connection))
        {
            await using var batch = db.CreateBatch();
            batch.BatchCommands.Add(new Npgsql.NpgsqlBatchCommand("CREATE TABLE purchases (user_id bigint, ts timestamptz, amount double precision)"));
            foreach (var (user, time, amount) in purchases)
            {
                var insert = new Npgsql.NpgsqlBatchCommand("INSERT INTO purchases VALUES ($1, $2, $3)");
                insert.Parameters.Add(new Npgsql.NpgsqlParameter { Value = user });
                insert.Parameters.Add(new Npgsql.NpgsqlParameter { Value = time });
                insert.Parameters.Add(new Npgsql.NpgsqlParameter { Value = amount });
                batch.BatchCommands.Add(insert);
            }

            await batch.ExecuteNonQueryAsync();
        }

        // DuckDB's DOUBLE is PostgreSQL's DOUBLE PRECISION: the one view that casts to it says so in query_postgres.
        var definitions = DerivedRepository.Definitions
            .Replace("{name: purchase_log, type: file, path: data/purchases.csv, timestamp_field: ts}", "{name: purchase_log, type: postgres, table: purchases, timestamp_field: ts}", StringComparison.Ordinal)
            .Replace("""
                  WINDOW w AS (PARTITION BY user_id ORDER BY event_timestamp ROWS UNBOUNDED PRECEDING)
                schema:
            """, """
                  WINDOW w AS (PARTITION BY user_id ORDER BY event_timestamp ROWS UNBOUNDED PRECEDING)
                query_postgres: |
                  SELECT user_id, event_timestamp,
                         CAST(sum(amount) OVER w AS DOUBLE PRECISION) AS total,
                         CAST(count(*) OVER w AS BIGINT) AS purchase_count
                  FROM {{ purchases }}
                  WINDOW w AS (PARTITION BY user_id ORDER BY event_timestamp ROWS UNBOUNDED PRECEDING)
                schema:
            """, StringComparison.Ordinal);
        Assert.Contains("query_postgres", definitions, StringComparison.Ordinal);
        return new TempRepository()
            .Write("granary.yaml", $"project: d{Guid.NewGuid():N}\nregistry: data/registry.db\noffline_store: {{type: postgres, connection: \"{connection}\"}}\nonline_store: {OnlineStoreYaml()}\n")
            .Write("features.yaml", definitions);
    }
}

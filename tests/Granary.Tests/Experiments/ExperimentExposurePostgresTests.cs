using Granary.OnlineServing;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Granary.Tests.Experiments;

/// <summary>
/// The exposure log on the PostgreSQL offline engine: an experiment between two versions of a view whose source and
/// offline store are in PostgreSQL logs every served read in its own table there, and the report counts them.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ExperimentExposurePostgresTests(PostgresServer postgres)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 3, 0, 0, 0, TimeSpan.Zero);

    private const string Features = """
        entities:
          - {name: user, join_keys: [user_id], value_type: int64}
        sources:
          - {name: events, type: postgres, table: events, timestamp_field: event_timestamp}
        feature_views:
          - {name: stats, entities: [user], ttl: TTL, source: events, schema: [{name: score, dtype: int64}]}
        """;

    private const string Experiments = """
        experiments:
          - name: ttl_test
            feature_view: stats
            variants:
              - {name: control, version: 1.0.0, share: 0.5}
              - {name: treatment, version: 1.1.0, share: 0.5}
        """;

    [Fact]
    public async Task Every_served_read_is_an_exposure_in_the_experiments_postgres_table_and_the_report_counts_them()
    {
        var connection = await postgres.CreateDatabaseAsync();
        await using (var db = NpgsqlDataSource.Create(connection))
        {
            await using var command = db.CreateCommand("CREATE TABLE events (user_id bigint, event_timestamp timestamptz, score bigint); INSERT INTO events VALUES (1, '2026-11-01T00:00:00Z', 3)");
            await command.ExecuteNonQueryAsync();
        }

        using var repo = new TempRepository()
            .Write("granary.yaml", $"project: pgexp\nregistry: data/registry.db\noffline_store: {{type: postgres, connection: \"{connection}\"}}\nonline_store: {{type: embedded}}\n")
            .Write("features.yaml", Features.Replace("TTL", "0", StringComparison.Ordinal));
        var time = new FakeTimeProvider(Now);
        var tally = new Dictionary<string, (long Reads, HashSet<string> Units)>();
        await using (var store = new FeatureStoreBuilder(repo.Root).UseTimeProvider(time).Build())
        {
            await store.ApplyAsync();
            repo.Write("features.yaml", Features.Replace("TTL", "30d", StringComparison.Ordinal)).Write("experiments.yaml", Experiments);
            await store.ApplyAsync();
            await store.MaterializeAsync(DateTimeOffset.UnixEpoch, Now, ["stats"]);
            for (var i = 0; i < 300; i++)
            {
                var unit = $"unit-{i % 120}";
                var response = await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
                {
                    Features = ["stats:score"],
                    Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [1L] },
                    Experiment = "ttl_test",
                    UnitId = unit,
                });
                Assert.Equal(3, response["score"].Values[0].AsInt64());
                var variant = response.Experiment!.Variant;
                var (reads, units) = tally.GetValueOrDefault(variant, (0, new HashSet<string>()));
                units.Add(unit);
                tally[variant] = (reads + 1, units);
            }
        }

        await using var reader = new FeatureStoreBuilder(repo.Root).UseTimeProvider(time).Build();
        var report = await reader.GetExperimentReportAsync("ttl_test", Now.AddHours(-1), Now.AddHours(1));
        long logged;
        await using (var db = NpgsqlDataSource.Create(connection))
        {
            await using var count = db.CreateCommand("SELECT count(*) FROM exposure_log__pgexp__ttl_test");
            logged = (long)(await count.ExecuteScalarAsync())!;
        }

        Assert.Equal(300, logged);
        Assert.Equal(["control", "treatment"], report.Variants.Select(v => v.Variant));
        foreach (var variant in report.Variants)
        {
            Assert.Equal(tally[variant.Variant].Reads, variant.Exposures);
            Assert.Equal(tally[variant.Variant].Units.Count, variant.Units);
        }

        Assert.Equal(120, report.Units);
        Assert.Equal(0, report.UnitsInSeveralVariants);
    }
}

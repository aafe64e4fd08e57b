using Granary.OnlineServing;
using Granary.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Granary.Tests.Governance.Usage;

/// <summary>
/// The version automatic usage recording names for each feature of a served feature service: the one served. After a
/// retype (view <c>stats</c> and feature <c>stats:score</c> at 2.0.0), a service pinned to <c>stats@v1</c> or
/// <c>stats@1.0.0</c> serves score's 1.0.0 and one without a version its 2.0.0; the rows are read back from the
/// registry's usage table as the store wrote them.
/// </summary>
public sealed class ServiceUsageVersionTests : IDisposable
{
    private readonly TempRepository _repo = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _repo.Dispose();
    }

    [Fact]
    public async Task A_service_pinned_to_a_version_records_the_feature_version_it_serves_not_the_current_one()
    {
        _repo.Write("granary.yaml", "project: pinned\nregistry: data/registry.db\nonline_store: {type: embedded}\n")
            .Write("data/events.csv", "user_id,event_timestamp,score\n1,2026-11-01T00:00:00Z,3\n")
            .Write("features.yaml", Definitions("int64", services: false));
        await using (var first = FeatureStore.Open(_repo.Root))
        {
            await first.ApplyAsync();
        }

        _repo.Write("features.yaml", Definitions("float64", services: true));
        await using (var store = FeatureStore.Open(_repo.Root))
        {
            await store.ApplyAsync();
            Assert.Equal("2.0.0", (await store.Catalog.GetAsync("stats:score")).CurrentVersion.ToString());
            foreach (var service in new[] { "by_major", "by_exact", "unpinned" })
            {
                await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
                {
                    FeatureService = service,
                    Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [1L] },
                });
            }
        }

        // Disposing the store flushed the recorder.
        var rows = await UsageRowsAsync();

        Assert.Equal(
            [("by_exact", "stats:score", "1.0.0"), ("by_major", "stats:score", "1.0.0"), ("unpinned", "stats:score", "2.0.0")],
            rows);
    }

    private const string Services = """
        feature_services:
          - {name: by_major, features: ["stats@v1:score"]}
          - {name: by_exact, features: ["stats@1.0.0:score"]}
          - {name: unpinned, features: ["stats:score"]}

        """;

    private static string Definitions(string scoreType, bool services) => $$"""
        entities:
          - {name: user, join_keys: [user_id], value_type: int64}
        sources:
          - {name: events, type: file, path: data/events.csv, timestamp_field: event_timestamp}
        feature_views:
          - name: stats
            entities: [user]
            ttl: 0
            source: events
            schema: [{name: score, dtype: {{scoreType}}}]

        """ + (services ? Services : "");

    private async Task<List<(string Model, string Feature, string Version)>> UsageRowsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_repo.Root, "data", "registry.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT used_by_model, feature_name, feature_version FROM granary_catalog_usage ORDER BY used_by_model, feature_name";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return rows;
    }
}

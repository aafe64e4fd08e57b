using Granary.Tests.Infrastructure;

namespace Granary.Tests.Cli;

/// <summary><c>granary teardown</c> on a repository whose online store is Redis: its project's keys go, another project's stay.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisTeardownCliTests(RedisServer redis)
{
    [Fact]
    public async Task Teardown_removes_the_projects_values_and_watermarks_from_redis_and_leaves_another_projects()
    {
        using var torn = Repository();
        using var kept = Repository();
        foreach (var repo in new[] { torn, kept })
        {
            Assert.Equal(0, (await CliRunner.RunAsync("apply", "--repo", repo.Root)).Exit);
            var materialize = await CliRunner.RunAsync("materialize", "2026-01-01", "2026-12-01", "--repo", repo.Root);
            Assert.True(materialize.Exit == 0, materialize.Err);
        }

        var teardown = await CliRunner.RunAsync("teardown", "--yes", "--repo", torn.Root);

        Assert.True(teardown.Exit == 0, teardown.Err);
        Assert.Contains("redis online store", teardown.Out, StringComparison.Ordinal);
        Assert.Contains("\"NOT_FOUND\"", (await CliRunner.RunAsync("get-online", "--address", "user_stats:orders_7d:1", "--repo", torn.Root)).Out, StringComparison.Ordinal);
        Assert.Contains("\"PRESENT\"", (await CliRunner.RunAsync("get-online", "--address", "user_stats:orders_7d:1", "--repo", kept.Root)).Out, StringComparison.Ordinal);
        Assert.Null(await WatermarkAsync(torn));
        Assert.NotNull(await WatermarkAsync(kept));
    }

    /// <summary>The sample with its own project on the shared Redis, and user_stats kept for ever so that it reads PRESENT.</summary>
    private TempRepository Repository() => SampleRepository.Create()
        .Write("granary.yaml", $"project: {RedisServer.NewProject().Replace('-', '_')}\nregistry: data/registry.db\nonline_store: {{type: redis, connection: \"{redis.ConnectionString}\"}}\n")
        .Write("features/shop.yaml", SampleRepository.Features.Replace("ttl: 2d", "ttl: 0", StringComparison.Ordinal));

    private static async Task<DateTimeOffset?> WatermarkAsync(TempRepository repo)
    {
        await using var store = FeatureStore.Open(repo.Root);
        await store.Online.InitializeAsync();
        return await store.Online.GetWatermarkAsync("user_stats");
    }
}

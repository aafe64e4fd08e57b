using Granary.Tests.Infrastructure;

namespace Granary.Tests.Cli;

public sealed class GetHistoricalCliTests
{
    private static Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => CliRunner.RunAsync(args);

    [Fact]
    public async Task Get_historical_writes_the_training_set_and_saves_it_for_listing_and_rebuilding()
    {
        using var repo = SampleRepository.Create().Write("entities.csv", "user_id,item_id,event_timestamp,label\n1,A1,2026-11-02T00:00:00Z,1\n2,A1,2026-11-02T00:00:00Z,0\n");
        Assert.Equal(0, (await RunAsync("apply", "--repo", repo.Root)).Exit);
        var output = Path.Combine(repo.Root, "training.parquet");

        var run = await RunAsync("get-historical", "--repo", repo.Root, "--entities", Path.Combine(repo.Root, "entities.csv"),
            "--features", "user_stats:orders_7d, item_info:price", "--output", output, "--save-as", "first_try");

        Assert.True(run.Exit == 0, run.Err);
        Assert.Contains("Wrote 2 rows x 2 features", run.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(output));
        var list = await RunAsync("saved-datasets", "list", "--repo", repo.Root);
        Assert.Matches(@"first_try\s+2\s+2\s+2026-11-02\s+2026-11-02", list.Out);
        var describe = await RunAsync("saved-datasets", "describe", "first_try", "--repo", repo.Root);
        Assert.Contains("--features user_stats:orders_7d,item_info:price", describe.Out, StringComparison.Ordinal);
        Assert.Contains("registry:        version 1", describe.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Entities_sql_runs_in_the_offline_engine()
    {
        using var repo = SampleRepository.Create();
        await RunAsync("apply", "--repo", repo.Root);
        var output = Path.Combine(repo.Root, "t.csv");

        var run = await RunAsync("get-historical", "--repo", repo.Root, "--entities-sql",
            "SELECT 1::BIGINT AS user_id, TIMESTAMPTZ '2026-11-01 12:00:00+00' AS event_timestamp", "--features", "user_stats:orders_7d", "--output", output);

        Assert.True(run.Exit == 0, run.Err);
        Assert.Contains("Wrote 1 rows", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--features", "user_stats:orders_7d", "--feature-service", "recommender")]
    [InlineData("--features", "nope")]
    [InlineData("--entities-sql", "SELECT 1")]
    public async Task Bad_requests_fail_with_a_message_and_write_nothing(params string[] extra)
    {
        using var repo = SampleRepository.Create().Write("entities.csv", "user_id,event_timestamp\n1,2026-11-02T00:00:00Z\n");
        await RunAsync("apply", "--repo", repo.Root);
        var output = Path.Combine(repo.Root, "never.parquet");
        var args = new List<string> { "get-historical", "--repo", repo.Root, "--output", output };
        if (!extra.Contains("--entities-sql"))
        {
            args.AddRange(["--entities", Path.Combine(repo.Root, "entities.csv")]);
        }

        args.AddRange(extra);
        if (!extra.Contains("--features") && !extra.Contains("--feature-service"))
        {
            args.AddRange(["--features", "user_stats:orders_7d"]);
        }

        var run = await RunAsync([.. args]);

        Assert.Equal(1, run.Exit);
        Assert.Contains("error:", run.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task A_column_named_like_a_feature_fails_with_the_fix_and_full_feature_names_then_succeeds()
    {
        using var repo = SampleRepository.Create().Write("entities.csv", "user_id,event_timestamp,orders_7d\n1,2026-11-02T00:00:00Z,9\n");
        await RunAsync("apply", "--repo", repo.Root);
        var output = Path.Combine(repo.Root, "t.csv");
        string[] args = ["get-historical", "--repo", repo.Root, "--entities", Path.Combine(repo.Root, "entities.csv"), "--features", "user_stats:orders_7d", "--output", output];

        var refused = await RunAsync(args);
        var accepted = await RunAsync([.. args, "--full-feature-names"]);

        Assert.Equal(1, refused.Exit);
        Assert.Contains("entities.csv", refused.Err, StringComparison.Ordinal);
        Assert.Contains("has a column 'orders_7d'", refused.Err, StringComparison.Ordinal);
        Assert.Contains("--full-feature-names", refused.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("__granary", refused.Err, StringComparison.Ordinal);
        Assert.True(accepted.Exit == 0, accepted.Err);
        Assert.Equal("user_id,event_timestamp,orders_7d,user_stats__orders_7d", File.ReadLines(output).First());
    }

    [Theory]
    [InlineData("user_id,when\n1,2026-11-02T00:00:00Z\n", "no 'event_timestamp' column")]
    [InlineData("user_id,event_timestamp\n1,someday\n", "has event_timestamp 'someday'")]
    [InlineData("user_id,event_timestamp\nabc,2026-11-02T00:00:00Z\n", "has user_id 'abc', which is not a number")]
    public async Task Entity_file_mistakes_name_the_file_and_the_column_and_write_nothing(string csv, string expected)
    {
        using var repo = SampleRepository.Create().Write("entities.csv", csv);
        await RunAsync("apply", "--repo", repo.Root);
        var output = Path.Combine(repo.Root, "never.parquet");

        var run = await RunAsync("get-historical", "--repo", repo.Root, "--entities", Path.Combine(repo.Root, "entities.csv"), "--features", "user_stats:orders_7d", "--output", output);

        Assert.Equal(1, run.Exit);
        Assert.Contains(expected, run.Err, StringComparison.Ordinal);
        Assert.Contains("entities.csv", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("__granary", run.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }
}

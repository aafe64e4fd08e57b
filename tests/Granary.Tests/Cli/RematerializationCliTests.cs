using Granary.Tests.Infrastructure;

namespace Granary.Tests.Cli;

/// <summary><c>granary plan</c> and <c>granary apply</c> say when a change leaves online views to materialize again.</summary>
public sealed class RematerializationCliTests
{
    [Fact]
    public async Task Plan_and_apply_name_the_online_view_whose_features_changed_and_the_command_that_restores_it()
    {
        using var repo = SampleRepository.Create();
        Assert.Equal(0, (await CliRunner.RunAsync("apply", "--repo", repo.Root)).Exit);
        // user_stats (online) loses spend_7d; item_info (online: false) loses category, which needs no materialization.
        repo.Write("features/shop.yaml", SampleRepository.Features
            .Replace("      - {name: spend_7d, dtype: float64}\n", "", StringComparison.Ordinal)
            .Replace("      - {name: category, dtype: string}\n", "", StringComparison.Ordinal));

        var plan = await CliRunner.RunAsync("plan", "--repo", repo.Root);
        var apply = await CliRunner.RunAsync("apply", "--repo", repo.Root);
        var again = await CliRunner.RunAsync("apply", "--repo", repo.Root);

        Assert.True(plan.Exit == 0, plan.Err);
        Assert.Contains("schema.spend_7d: - ", plan.Out, StringComparison.Ordinal);
        Assert.Contains("Re-materialization needed after apply: user_stats (features or join-key types change;", plan.Out, StringComparison.Ordinal);
        Assert.Contains("Run: granary materialize START END --views user_stats ", plan.Out, StringComparison.Ordinal);
        Assert.Contains("~ feature view item_info", plan.Out, StringComparison.Ordinal);
        Assert.All(plan.Out.Split('\n').SkipWhile(line => !line.StartsWith("Re-materialization", StringComparison.Ordinal)), line => Assert.DoesNotContain("item_info", line, StringComparison.Ordinal));
        Assert.True(apply.Exit == 0, apply.Err);
        Assert.Contains("Re-materialization needed: user_stats (features or join-key types changed;", apply.Out, StringComparison.Ordinal);
        Assert.Contains("Run: granary materialize START END --views user_stats ", apply.Out, StringComparison.Ordinal);
        // Once applied, the registry holds the new features: nothing more to report.
        Assert.DoesNotContain("Re-materialization", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_that_keeps_the_features_prints_no_re_materialization()
    {
        using var repo = SampleRepository.Create();
        await CliRunner.RunAsync("apply", "--repo", repo.Root);
        repo.Write("features/shop.yaml", SampleRepository.Features
            .Replace("ttl: 2d", "ttl: 7d", StringComparison.Ordinal)
            .Replace("tags: {team: growth}", "tags: {team: ranking}", StringComparison.Ordinal));

        var plan = await CliRunner.RunAsync("plan", "--repo", repo.Root);
        var apply = await CliRunner.RunAsync("apply", "--repo", repo.Root);

        Assert.Contains("~ feature view user_stats", plan.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Re-materialization", plan.Out, StringComparison.Ordinal);
        Assert.True(apply.Exit == 0, apply.Err);
        Assert.DoesNotContain("Re-materialization", apply.Out, StringComparison.Ordinal);
    }
}

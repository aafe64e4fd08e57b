using Granary.Tests.Infrastructure;

namespace Granary.Tests.Cli;

/// <summary>The granary command run in-process, as a user would run it, with its output captured.</summary>
public sealed class CliTests
{
    private static Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => CliRunner.RunAsync(args);

    [Fact]
    public async Task Help_names_the_command_granary_and_lists_its_commands()
    {
        var (exit, output, _) = await RunAsync("--help");
        Assert.Equal(0, exit);
        Assert.Contains("Usage:\n  granary [command] [options]", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("granary serve [options]", (await RunAsync("serve", "--help")).Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_on_a_repository_with_mistakes_lists_each_with_file_and_line_and_fails()
    {
        using var repo = SampleRepository.Create();
        repo.Write("broken.yaml", "feature_views:\n  - name: v\n    entities: [ghost]\n    source: user_stats_source\n    ttl: forever\n    schema: [{name: orders_7d, dtype: int64}]\n");

        var (exit, _, err) = await RunAsync("plan", "--repo", repo.Root);

        Assert.Equal(1, exit);
        Assert.Contains("broken.yaml:3:16: Feature view 'v' names entity 'ghost'", err, StringComparison.Ordinal);
        Assert.Contains("broken.yaml:5:10: Invalid ttl 'forever'", err, StringComparison.Ordinal);
        Assert.Contains("2 mistakes", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_prints_the_diff_and_apply_then_list_and_describe_show_the_registry()
    {
        using var repo = SampleRepository.Create();

        var plan = await RunAsync("plan", "--repo", repo.Root);
        Assert.Equal(0, plan.Exit);
        Assert.Contains("+ feature view user_stats", plan.Out, StringComparison.Ordinal);
        Assert.Contains("8 to add, 0 to change, 0 to remove", plan.Out, StringComparison.Ordinal);

        var apply = await RunAsync("apply", "--repo", repo.Root);
        Assert.Equal(0, apply.Exit);
        Assert.Contains("registry version 1", apply.Out, StringComparison.Ordinal);

        var list = await RunAsync("feature-views", "list", "--repo", repo.Root);
        Assert.Equal(0, list.Exit);
        Assert.Matches(@"user_stats\s+user\s+2\s+2d\s+user_stats_source\s+yes", list.Out);

        var describe = await RunAsync("entities", "describe", "user", "--repo", repo.Root);
        Assert.Equal(0, describe.Exit);
        Assert.Contains("\"join_keys\": [", describe.Out, StringComparison.Ordinal);
        Assert.Contains("\"created_version\": 1", describe.Out, StringComparison.Ordinal);

        var history = await RunAsync("history", "--repo", repo.Root);
        Assert.Contains("v1 ", history.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describing_a_missing_object_fails_with_a_suggestion()
    {
        using var repo = SampleRepository.Create();
        await RunAsync("apply", "--repo", repo.Root);

        var (exit, _, err) = await RunAsync("feature-services", "describe", "recomender", "--repo", repo.Root);

        Assert.Equal(1, exit);
        Assert.Contains("Did you mean 'recommender'?", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_outside_a_repository_fail_on_stderr()
    {
        using var empty = new TempRepository();

        var (exit, output, err) = await RunAsync("plan", "--repo", empty.Root);

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains("no granary.yaml", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_creates_a_repository_that_plans_cleanly_and_refuses_to_overwrite_it()
    {
        using var dir = new TempRepository();
        var target = Path.Combine(dir.Root, "features");

        var init = await RunAsync("init", target);
        Assert.Equal(0, init.Exit);
        var plan = await RunAsync("plan", "--repo", target);
        Assert.Equal(0, plan.Exit);
        Assert.Contains("to add", plan.Out, StringComparison.Ordinal);

        var again = await RunAsync("init", target);
        Assert.Equal(1, again.Exit);
        Assert.Contains("already contains a granary.yaml", again.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_commands_and_options_fail()
    {
        Assert.NotEqual(0, (await RunAsync("frobnicate")).Exit);
        Assert.NotEqual(0, (await RunAsync("init", "--template", "nope")).Exit);
    }

    [Fact]
    public async Task Version_prints_the_version()
    {
        var (exit, output, _) = await RunAsync("version");
        Assert.Equal(0, exit);
        Assert.StartsWith("granary 0.1.0", output, StringComparison.Ordinal);
    }
}

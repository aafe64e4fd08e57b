using Granary.Tests.Infrastructure;
using Granary.Tests.Streaming;

namespace Granary.Tests.Cli;

/// <summary><c>granary plan</c> and <c>granary apply</c> on a repository of stream feature views, as a user runs them.</summary>
public sealed class StreamDefinitionCliTests
{
    private const string LastAggregation = "      - {column: merchant_id, function: last_k, k: 5, windows: [1d]}";

    [Fact]
    public async Task Plan_lists_stream_views_and_sources_like_other_objects_and_says_their_features_serve_from_the_next_events()
    {
        using var repo = await StreamDefinitionRepository.CreateAsync();

        var plan = await CliRunner.RunAsync("plan", "--repo", repo.Root);

        Assert.True(plan.Exit == 0, plan.Err);
        Assert.Contains("+ feature view user_spend", plan.Out, StringComparison.Ordinal);
        Assert.Contains("+ data source transactions_stream", plan.Out, StringComparison.Ordinal);
        Assert.Contains("+ data source clicks_nats", plan.Out, StringComparison.Ordinal);
        Assert.Contains("8 to add, 0 to change, 0 to remove, 0 unchanged.", plan.Out, StringComparison.Ordinal);
        Assert.Contains("Stream features without state after apply: they will serve from the next events unless backfilled.", plan.Out, StringComparison.Ordinal);
        Assert.Contains("  user_spend (new view): sum_amount_1h, sum_amount_1d, sum_amount_7d, mean_amount_1h, count_1h, count_lifetime,", plan.Out, StringComparison.Ordinal);
        Assert.Contains("Run: granary backfill user_spend --start T --end T", plan.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Re-materialization", plan.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_aggregation_added_to_an_applied_view_is_planned_as_a_change_whose_new_features_need_a_backfill()
    {
        using var repo = await StreamDefinitionRepository.CreateAsync();
        var first = await CliRunner.RunAsync("apply", "--repo", repo.Root);
        repo.Write("streams.yaml", StreamDefinitionRepository.IssueExample.Replace(
            LastAggregation, LastAggregation + "\n      - {column: amount, function: sum, windows: [30d]}", StringComparison.Ordinal));

        var plan = await CliRunner.RunAsync("plan", "--repo", repo.Root);
        var apply = await CliRunner.RunAsync("apply", "--repo", repo.Root);
        var again = await CliRunner.RunAsync("plan", "--repo", repo.Root);

        Assert.True(first.Exit == 0, first.Err);
        Assert.Contains("Applied to project 'fraud': registry version 1.", first.Out, StringComparison.Ordinal);
        Assert.True(plan.Exit == 0, plan.Err);
        Assert.Contains("~ feature view user_spend", plan.Out, StringComparison.Ordinal);
        Assert.Contains("schema.sum_amount_30d: + ", plan.Out, StringComparison.Ordinal);
        Assert.Contains("stream.aggregations[6]: + ", plan.Out, StringComparison.Ordinal);
        Assert.Contains("0 to add, 1 to change, 0 to remove, 7 unchanged.", plan.Out, StringComparison.Ordinal);
        Assert.Contains("  user_spend: sum_amount_30d\n", plan.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("Run: granary backfill user_spend --start T --end T", plan.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Re-materialization", plan.Out, StringComparison.Ordinal);
        Assert.True(apply.Exit == 0, apply.Err);
        Assert.Contains("Stream features without state: they serve from the next events unless backfilled.", apply.Out, StringComparison.Ordinal);
        Assert.Contains("No changes; 8 objects up to date.", again.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("backfill", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mistake_in_a_stream_view_fails_plan_with_its_file_and_line_and_apply_writes_nothing()
    {
        using var repo = await StreamDefinitionRepository.CreateAsync();
        repo.Write("streams.yaml", StreamDefinitionRepository.IssueExample.Replace("windows: [1h, 1d, {window: 7d, hop: 1h}]", "windows: [1h, 1d, {window: 7d, hop: 11m}]", StringComparison.Ordinal));

        var plan = await CliRunner.RunAsync("plan", "--repo", repo.Root);
        var apply = await CliRunner.RunAsync("apply", "--repo", repo.Root);

        Assert.NotEqual(0, plan.Exit);
        Assert.Contains("streams.yaml:15:", plan.Err, StringComparison.Ordinal);
        Assert.Contains("The window 7d is not a multiple of its hop 11m", plan.Err, StringComparison.Ordinal);
        Assert.NotEqual(0, apply.Exit);
        Assert.False(File.Exists(Path.Combine(repo.Root, "data", "registry.db")));
    }

    [Fact]
    public async Task Materialize_leaves_stream_views_to_their_events_and_points_at_backfill_when_one_is_named()
    {
        using var repo = await StreamDefinitionRepository.CreateAsync();
        await CliRunner.RunAsync("apply", "--repo", repo.Root);

        var named = await CliRunner.RunAsync("materialize", "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z", "--views", "user_spend", "--repo", repo.Root);
        var all = await CliRunner.RunAsync("materialize", "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z", "--repo", repo.Root);

        Assert.NotEqual(0, named.Exit);
        Assert.Contains("Feature view 'user_spend' is a stream feature view", named.Err, StringComparison.Ordinal);
        Assert.Contains("granary backfill user_spend --start T --end T", named.Err, StringComparison.Ordinal);
        Assert.NotEqual(0, all.Exit);
        Assert.Contains("has no feature view with online: true to materialize (stream feature views take their online values from their events)", all.Err, StringComparison.Ordinal);
    }
}

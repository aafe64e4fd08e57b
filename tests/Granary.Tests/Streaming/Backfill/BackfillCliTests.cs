using System.Text.Json;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Streaming.Backfill;

/// <summary><c>granary backfill VIEW --start T --end T</c> as a user runs it: the summary, and each mistake refused in one line with nothing written.</summary>
public sealed class BackfillCliTests
{
    private static readonly long T0 = StreamEvents.T0;

    private static readonly LoggedEvent[] Events =
    [
        BackfillContract.Event(1, T0, 1.5, "t1"),
        BackfillContract.Event(1, T0, 1.5, "t1"),
        BackfillContract.Event(1, T0 + BackfillContract.Minutes(5), 2.0, "t2"),
        BackfillContract.Event(2, T0 + BackfillContract.Minutes(6), 4.0, "t3"),
    ];

    [Fact]
    public async Task Backfill_prints_a_summary_and_the_view_serves_its_aggregates_at_once()
    {
        using var repo = await BackfillRepository.WriteAsync(Events);
        var clock = new FakeTimeProvider(BackfillContract.At(T0 + BackfillContract.Minutes(8)));
        var apply = await CliRunner.RunAsync(clock, "apply", "--repo", repo.Root);

        var backfill = await CliRunner.RunAsync(clock, "backfill", "user_spend", "--start", "2026-03-01T12:00:00Z", "--end", "now", "--repo", repo.Root);
        var online = await CliRunner.RunAsync(clock, "get-online", "--entity", "user_id=1", "--features", "user_spend:count_lifetime,user_spend:sum_amount_10m", "--repo", repo.Root);

        Assert.True(apply.Exit == 0, apply.Err);
        Assert.True(backfill.Exit == 0, backfill.Err);
        Assert.StartsWith("user_spend: 3 events from 2026-03-01 12:00:00Z to 2026-03-01 12:08:00Z in ", backfill.Out, StringComparison.Ordinal);
        Assert.Contains("state of 2 keys replaced, 1 repeated event ids counted once; source watermark 2026-03-01 12:06:00Z.", backfill.Out, StringComparison.Ordinal);
        Assert.True(online.Exit == 0, online.Err);
        using var json = JsonDocument.Parse(online.Out);
        var results = json.RootElement.GetProperty("results");
        Assert.Equal(2, results[1].GetProperty("values")[0].GetInt64());
        Assert.Equal("PRESENT", results[1].GetProperty("statuses")[0].GetString());
        Assert.Equal(3.5, results[2].GetProperty("values")[0].GetDouble());
    }

    [Theory]
    [InlineData("no_such_view", "2026-03-01", "2026-03-02", "no_such_view")]
    [InlineData("user_units", "2026-03-01", "2026-03-02", "Feature view 'user_units' is not a stream feature view")]
    [InlineData("user_spend", "2026-03-02", "2026-03-02", "--start (2026-03-02T00:00:00Z) must be before --end (2026-03-02T00:00:00Z)")]
    [InlineData("user_spend", "yesterday", "2026-03-02", "--start: 'yesterday' is not a time")]
    public async Task A_mistake_is_one_line_on_stderr_a_non_zero_exit_and_nothing_written(string view, string start, string end, string message)
    {
        using var repo = await BackfillRepository.WriteAsync(Events);
        var clock = new FakeTimeProvider(BackfillContract.At(T0 + BackfillContract.Minutes(8)));
        await CliRunner.RunAsync(clock, "apply", "--repo", repo.Root);

        var backfill = await CliRunner.RunAsync(clock, "backfill", view, "--start", start, "--end", end, "--repo", repo.Root);

        Assert.Equal(1, backfill.Exit);
        var line = Assert.Single(backfill.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.Equal("", backfill.Out);
        await AssertNothingServedAsync(clock, repo);
    }

    [Fact]
    public async Task A_view_whose_event_log_was_never_written_is_refused_with_nothing_written()
    {
        using var repo = await BackfillRepository.WriteAsync(Events);
        var clock = new FakeTimeProvider(BackfillContract.At(T0 + BackfillContract.Minutes(8)));
        await CliRunner.RunAsync(clock, "apply", "--repo", repo.Root);
        File.Delete(Path.Combine(repo.Root, BackfillRepository.EventsFile));

        var backfill = await CliRunner.RunAsync(clock, "backfill", "user_spend", "--start", "2026-03-01", "--end", "now", "--repo", repo.Root);

        Assert.Equal(1, backfill.Exit);
        var line = Assert.Single(backfill.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal(
            "error: Stream view 'user_spend' has no event log yet: source 'txn_log' (data/events.parquet) does not exist and nothing was pushed to it. "
            + "Log its events first (push with to: offline or online_and_offline, or run its consumers), then backfill. [not_found]",
            line);
        await AssertNothingServedAsync(clock, repo);
    }

    [Fact]
    public async Task Both_ends_of_the_range_are_required()
    {
        using var repo = await BackfillRepository.WriteAsync(Events);

        var backfill = await CliRunner.RunAsync("backfill", "user_spend", "--start", "2026-03-01", "--repo", repo.Root);

        Assert.NotEqual(0, backfill.Exit);
        Assert.Contains("--end", backfill.Err, StringComparison.Ordinal);
    }

    private static async Task AssertNothingServedAsync(FakeTimeProvider clock, TempRepository repo)
    {
        var online = await CliRunner.RunAsync(clock, "get-online", "--entity", "user_id=1", "--features", "user_spend:count_lifetime", "--repo", repo.Root);
        Assert.True(online.Exit == 0, online.Err);
        using var json = JsonDocument.Parse(online.Out);
        Assert.Equal("NOT_FOUND", json.RootElement.GetProperty("results")[1].GetProperty("statuses")[0].GetString());
    }
}

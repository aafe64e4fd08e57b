using System.Globalization;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Streaming.EndToEnd;

/// <summary><c>granary get-historical</c> on a stream view: training data computed from the pushed events' log.</summary>
public sealed class StreamGetHistoricalCliTests
{
    [Fact]
    public async Task Get_historical_computes_stream_features_at_each_entity_row_from_the_logged_events()
    {
        using var repo = await StreamParityRepository.CreateAsync("cli");
        var applied = await CliRunner.RunAsync("apply", "--repo", repo.Root);
        Assert.True(applied.Exit == 0, applied.Err);

        // User 11: 3.0 at 12:05 and 1.0 at 12:02; then 100.0 at 11:50, later than the allowed lateness, and 12:02's
        // event redelivered: neither is in the log's count.
        await using (var store = FeatureStore.Open(repo.Root))
        {
            await StreamParityRepository.PushAsync(store, (11, 5, 3.0, "m", "s1"), (11, 2, 1.0, "m", "s2"));
            var second = await StreamParityRepository.PushAsync(store, (11, -10, 100.0, "m", "s3"), (11, 2, 1.0, "m", "s2"));
            Assert.Equal(1, second.LateRows);
        }

        repo.Write("entities.csv", "user_id,event_timestamp\n11,2026-03-01T12:10:00Z\n11,2026-03-01T13:05:00Z\n11,2026-03-01T13:10:00Z\n99,2026-03-01T12:10:00Z\n");
        var output = Path.Combine(repo.Root, "training.csv");
        var run = await CliRunner.RunAsync("get-historical", "--repo", repo.Root, "--entities", Path.Combine(repo.Root, "entities.csv"),
            "--features", "user_spend:count_lifetime, user_spend:sum_amount_1h, user_spend:last_amount_30m", "--output", output);

        Assert.True(run.Exit == 0, run.Err);
        Assert.Contains("Wrote 4 rows x 3 features", run.Out, StringComparison.Ordinal);

        // 1h (hop 10m) starts at 11:10 for 12:10, 12:00 for 13:05 (the first event still in) and 12:10 for 13:10;
        // 30m tumbling starts at 11:30 for 12:10 and 12:30 after. User 99 has no events: count 0, the rest empty.
        Assert.Equal(
        [
            "2|4|3",
            "2|4|",
            "2||",
            "0||",
        ], Features(output, "count_lifetime", "sum_amount_1h", "last_amount_30m"));
    }

    [Fact]
    public async Task Get_historical_of_a_feature_the_stream_view_lacks_fails_with_one_line_and_writes_nothing()
    {
        using var repo = await StreamParityRepository.CreateAsync("cli_bad");
        await CliRunner.RunAsync("apply", "--repo", repo.Root);
        repo.Write("entities.csv", "user_id,event_timestamp\n11,2026-03-01T12:10:00Z\n");
        var output = Path.Combine(repo.Root, "never.csv");

        var run = await CliRunner.RunAsync("get-historical", "--repo", repo.Root, "--entities", Path.Combine(repo.Root, "entities.csv"),
            "--features", "user_spend:sum_amount_2h", "--output", output);

        Assert.NotEqual(0, run.Exit);
        Assert.Contains("sum_amount_2h", run.Err, StringComparison.Ordinal);
        Assert.Single(run.Err.Trim().Split('\n'));
        Assert.False(File.Exists(output));
    }

    /// <summary>The named columns of each row of a CSV file, numbers in their shortest form, empty for null.</summary>
    private static List<string> Features(string csv, params string[] names)
    {
        var lines = File.ReadAllLines(csv);
        var header = lines[0].Split(',');
        var columns = names.Select(n => Array.IndexOf(header, n)).ToArray();
        Assert.DoesNotContain(-1, columns);
        return lines.Skip(1).Select(line =>
        {
            var cells = line.Split(',');
            return string.Join("|", columns.Select(c => cells[c].Length == 0 ? "" : double.Parse(cells[c], CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)));
        }).ToList();
    }
}

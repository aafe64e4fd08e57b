using System.Text.Json;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Quality.Rules;

/// <summary><c>granary validate</c>: the report's JSON shape and values, its table, and its exit codes.</summary>
public sealed class ValidateCliTests
{
    [Fact]
    public async Task A_failing_error_rule_exits_1_and_the_json_has_exactly_the_report_fields()
    {
        using var repo = await ValidationRepository.CreateAsync();

        var (exit, output, err) = await CliRunner.RunAsync("validate", "ad_stats", "--start", "2026-11-01", "--end", "2026-11-02", "--format", "json", "--repo", repo.Root);

        Assert.Equal(1, exit);
        Assert.Contains("error: 2 error rules of feature view 'ad_stats' do not hold.", err, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(["view", "start", "end", "passed", "rules"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ad_stats", root.GetProperty("view").GetString());
        Assert.Equal("2026-11-01T00:00:00.0000000Z", root.GetProperty("start").GetString());
        Assert.Equal("2026-11-02T00:00:00.0000000Z", root.GetProperty("end").GetString());
        Assert.False(root.GetProperty("passed").GetBoolean());
        var rules = root.GetProperty("rules").EnumerateArray().ToList();
        Assert.All(rules, r => Assert.Equal(["feature", "rule", "severity", "failed", "total", "example"], r.EnumerateObject().Select(p => p.Name)));
        Assert.Equal(
            [
                ("ctr", "range", "error", 1L, 2L, (string?)"1.5"),
                ("ctr", "not_null", "warn", 0L, 2L, null),
                ("clicks", "expression", "error", 1L, 2L, "clicks=5, impressions=3"),
            ],
            rules.Select(r => (
                r.GetProperty("feature").GetString(),
                r.GetProperty("rule").GetString(),
                r.GetProperty("severity").GetString(),
                r.GetProperty("failed").GetInt64(),
                r.GetProperty("total").GetInt64(),
                r.GetProperty("example").GetString())));
    }

    [Fact]
    public async Task Only_a_warn_rule_failing_exits_0_and_the_table_marks_it()
    {
        using var repo = await ValidationRepository.CreateAsync();

        var (exit, output, err) = await CliRunner.RunAsync("validate", "ad_stats", "--start", "2026-11-02", "--repo", repo.Root);

        Assert.True(exit == 0, err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("Validation of 'ad_stats' over source rows from 2026-11-02 00:00:00Z: passed.", lines[0]);
        Assert.Matches(@"^FEATURE\s+RULE\s+SEVERITY\s+RESULT\s+FAILED\s+TOTAL\s+EXAMPLE$", lines[1]);
        Assert.Matches(@"^ctr\s+range\s+error\s+ok\s+0\s+1\s+-$", lines[2]);
        Assert.Matches(@"^ctr\s+not_null\s+warn\s+FAILED\s+1\s+1\s+user_id=3, event_timestamp=2026-11-02 00:00:00\+00$", lines[3]);
        Assert.Matches(@"^clicks\s+expression\s+error\s+ok\s+0\s+1\s+-$", lines[4]);
    }

    [Fact]
    public async Task An_unknown_view_is_a_clear_error_with_a_non_zero_exit()
    {
        using var repo = await ValidationRepository.CreateAsync();

        var (exit, output, err) = await CliRunner.RunAsync("validate", "ad_stat", "--repo", repo.Root);

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.StartsWith("error: ", err, StringComparison.Ordinal);
        Assert.Contains("'ad_stat'", err, StringComparison.Ordinal);
        Assert.Contains("[not_found]", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_time_that_does_not_parse_or_an_empty_period_is_refused_before_anything_runs()
    {
        using var repo = await ValidationRepository.CreateAsync();

        var badTime = await CliRunner.RunAsync("validate", "ad_stats", "--start", "yesterday", "--repo", repo.Root);
        var empty = await CliRunner.RunAsync("validate", "ad_stats", "--start", "2026-11-02", "--end", "2026-11-01", "--repo", repo.Root);

        Assert.Equal(1, badTime.Exit);
        Assert.Contains("--start: 'yesterday' is not a time", badTime.Err, StringComparison.Ordinal);
        Assert.Equal(1, empty.Exit);
        Assert.Contains("must be before end", empty.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", badTime.Err + empty.Err, StringComparison.Ordinal);
    }
}

using System.Text.Json;
using Granary.Tests.Infrastructure;
using Granary.Tests.Quality.Profiles;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Cli;

/// <summary>
/// <c>granary profile VIEW</c> and <c>granary profile list VIEW</c> on a small CSV whose statistics are worked out by
/// hand in the comments: the JSON contract's fields and their values.
/// </summary>
public sealed class ProfileCliTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 10, 0, 0, 0, TimeSpan.Zero);

    private readonly TempRepository _repo = ProfiledRepository.Create("project: shop\nregistry: data/registry.db\n");
    private readonly FakeTimeProvider _clock = new(Now);

    public async Task InitializeAsync()
    {
        var apply = await CliRunner.RunAsync(_clock, "apply", "--repo", _repo.Root);
        Assert.True(apply.Exit == 0, apply.Err);
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _repo.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_json_has_the_contract_fields_and_the_statistics_of_the_rows_in_the_period()
    {
        var (exit, output, err) = await Profile("--format", "json");

        Assert.True(exit == 0, err);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(["id", "view", "start", "end"], root.EnumerateObject().Take(4).Select(p => p.Name));
        Assert.Matches("^[0-9a-f]{32}$", root.GetProperty("id").GetString());
        Assert.Equal("spending", root.GetProperty("view").GetString());
        Assert.Equal(ProfiledRepository.Start, root.GetProperty("start").GetDateTimeOffset());
        Assert.Equal(ProfiledRepository.End, root.GetProperty("end").GetDateTimeOffset());
        var features = root.GetProperty("features");
        Assert.Equal(2, features.GetArrayLength());

        // spend in the period: 1, 2, 3, 4, 10 and one null (1000 is before the start, -50 at the end, excluded).
        var spend = features[0];
        foreach (var field in new[] { "name", "count", "null_count", "distinct", "mean", "stddev", "min", "max", "quantiles", "histogram" })
        {
            Assert.True(spend.TryGetProperty(field, out _), field);
        }

        Assert.False(spend.TryGetProperty("top_k", out _));
        Assert.False(spend.TryGetProperty("baseline", out _));
        Assert.Equal("spend", spend.GetProperty("name").GetString());
        Assert.Equal(6, spend.GetProperty("count").GetInt64());
        Assert.Equal(1, spend.GetProperty("null_count").GetInt64());
        Assert.Equal(5, spend.GetProperty("distinct").GetInt64());
        Assert.Equal(4.0, spend.GetProperty("mean").GetDouble(), 12);
        // Squared deviations from 4: 9 + 4 + 1 + 0 + 36 = 50; 50 / (5 - 1) = 12.5.
        Assert.Equal(Math.Sqrt(12.5), spend.GetProperty("stddev").GetDouble(), 12);
        Assert.Equal(1.0, spend.GetProperty("min").GetDouble());
        Assert.Equal(10.0, spend.GetProperty("max").GetDouble());
        // Level p at position 4p between the sorted values 1, 2, 3, 4, 10.
        var quantiles = spend.GetProperty("quantiles");
        Assert.Equal(["p1", "p5", "p25", "p50", "p75", "p95", "p99"], quantiles.EnumerateObject().Select(p => p.Name));
        double[] expected = [1.04, 1.2, 2, 3, 4, 8.8, 9.76];
        Assert.Equal(expected, quantiles.EnumerateObject().Select(p => Math.Round(p.Value.GetDouble(), 9)));
        // Width (10 - 1) / 20 = 0.45: 1 in bin 0, 2 in bin 2 (1 / 0.45 = 2.2), 3 in bin 4 (4.4), 4 in bin 6 (6.7), 10 in the last.
        var histogram = spend.GetProperty("histogram");
        Assert.Equal(20, histogram.GetArrayLength());
        var counts = histogram.EnumerateArray().Select(b => b.GetProperty("count").GetInt64()).ToArray();
        Assert.Equal([1L, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], counts);
        Assert.Equal(1.45, histogram[1].GetProperty("lower").GetDouble(), 12);
        Assert.Equal(10.0, histogram[19].GetProperty("upper").GetDouble());

        // segment in the period: a, b, a, c, a and one null.
        var segment = features[1];
        Assert.Equal(6, segment.GetProperty("count").GetInt64());
        Assert.Equal(1, segment.GetProperty("null_count").GetInt64());
        Assert.Equal(3, segment.GetProperty("distinct").GetInt64());
        Assert.Equal(JsonValueKind.Null, segment.GetProperty("mean").ValueKind);
        Assert.Equal(JsonValueKind.Null, segment.GetProperty("quantiles").ValueKind);
        Assert.False(segment.TryGetProperty("histogram", out _));
        Assert.Equal(
            [("a", 3L), ("b", 1L), ("c", 1L)],
            segment.GetProperty("top_k").EnumerateArray().Select(c => (c.GetProperty("value").GetString()!, c.GetProperty("count").GetInt64())));
    }

    [Fact]
    public async Task A_profile_is_stored_and_listed_newest_first_with_the_total()
    {
        var first = JsonDocument.Parse((await Profile("--format", "json")).Out).RootElement.GetProperty("id").GetString();
        _clock.Advance(TimeSpan.FromHours(1));
        var second = JsonDocument.Parse((await Profile("--format", "json")).Out).RootElement.GetProperty("id").GetString();

        var (exit, output, err) = await CliRunner.RunAsync(_clock, "profile", "list", "spending", "--format", "json", "--repo", _repo.Root);
        var (_, limited, _) = await CliRunner.RunAsync(_clock, "profile", "list", "spending", "--limit", "1", "--repo", _repo.Root);

        Assert.True(exit == 0, err);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(2, json.RootElement.GetProperty("total").GetInt32());
        var listed = json.RootElement.GetProperty("profiles").EnumerateArray().ToList();
        Assert.Equal([second, first], listed.Select(p => p.GetProperty("id").GetString()));
        Assert.Equal(Now.AddHours(1), listed[0].GetProperty("created_at").GetDateTimeOffset());
        Assert.Equal(6, listed[0].GetProperty("rows").GetInt64());
        Assert.Contains(second!, limited, StringComparison.Ordinal);
        Assert.DoesNotContain(first!, limited, StringComparison.Ordinal);
        Assert.Contains("1 of 2 profiles shown", limited, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_text_shows_a_table_per_feature_and_a_summary_line()
    {
        var (exit, output, err) = await Profile();

        Assert.True(exit == 0, err);
        Assert.Contains("spend (float64)", output, StringComparison.Ordinal);
        Assert.Contains("segment (string)", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^mean\s+4$", output);
        Assert.Matches(@"(?m)^p95\s+8\.8$", output);
        Assert.Matches(@"(?m)^a\s+3$", output);
        Assert.Matches(@"Profiled spending: 6 rows, 2 features, in \d+\.\ds; stored as profile [0-9a-f]{32}\.", output);
    }

    [Fact]
    public async Task A_time_that_does_not_read_and_an_unknown_view_fail_with_a_message_and_store_nothing()
    {
        var badTime = await CliRunner.RunAsync(_clock, "profile", "spending", "--start", "yesterday", "--repo", _repo.Root);
        var unknown = await CliRunner.RunAsync(_clock, "profile", "spendng", "--repo", _repo.Root);
        var list = await CliRunner.RunAsync(_clock, "profile", "list", "spending", "--format", "json", "--repo", _repo.Root);

        Assert.Equal(1, badTime.Exit);
        Assert.Contains("--start: 'yesterday' is not a time", badTime.Err, StringComparison.Ordinal);
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("No feature view 'spendng' in project 'shop'. Did you mean 'spending'? [not_found]", unknown.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", unknown.Err, StringComparison.Ordinal);
        Assert.Equal(0, JsonDocument.Parse(list.Out).RootElement.GetProperty("total").GetInt32());
    }

    private Task<(int Exit, string Out, string Err)> Profile(params string[] extra) =>
        CliRunner.RunAsync(_clock, ["profile", "spending", "--start", ProfiledRepository.StartText, "--end", ProfiledRepository.EndText, "--repo", _repo.Root, .. extra]);
}

using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry.Building;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Quality.Freshness;

/// <summary>A view's <c>freshness:</c>: read, stored and read back, refused with file and line, and the C# builder's equivalent.</summary>
public sealed class FreshnessYamlTests
{
    private const string Views = """
        feature_views:
          - name: hourly_stats
            entities: [user]
            source: user_stats_source
            freshness: hourly
            schema:
              - {name: orders_7d, dtype: int64}
          - name: tuned_stats
            entities: [user]
            source: user_stats_source
            freshness: {expected: 30m, stale: 1h}
            schema:
              - {name: spend_7d, dtype: float64}
        """;

    private static int LineOf(string yaml, string marker) => Array.FindIndex(yaml.Split('\n'), l => l.Contains(marker, StringComparison.Ordinal)) + 1;

    [Fact]
    public async Task Freshness_is_stored_with_the_view_and_a_view_without_it_has_none()
    {
        using var repo = SampleRepository.Create();
        repo.Write("fresh.yaml", Views);
        await using (var store = FeatureStore.Open(repo.Root))
        {
            await store.ApplyAsync();
        }

        await using var reader = FeatureStore.Open(repo.Root);
        var definitions = (await reader.GetRegistryAsync()).Definitions;
        Assert.Equal(new FreshnessExpectation("hourly", TimeSpan.FromHours(2), TimeSpan.FromHours(12)), definitions.FindFeatureView("hourly_stats")!.Freshness);
        Assert.Equal(new FreshnessExpectation("30m", TimeSpan.FromMinutes(30), TimeSpan.FromHours(1)), definitions.FindFeatureView("tuned_stats")!.Freshness);
        Assert.Null(definitions.FindFeatureView("user_stats")!.Freshness);
        Assert.False((await reader.PlanAsync()).HasChanges);
    }

    [Theory]
    [InlineData("freshness: hourly", "freshness: hurly", "Invalid 'freshness' of feature view 'hourly_stats': 'hurly' (did you mean 'hourly'?)")]
    [InlineData("freshness: hourly", "freshness: 0", "Invalid 'freshness' of feature view 'hourly_stats': '0'")]
    [InlineData("freshness: {expected: 30m, stale: 1h}", "freshness: {expected: 30m, stale: 10m}", "'stale' of 'freshness' of feature view 'tuned_stats' (10m) is less than its 'fresh' (30m)")]
    [InlineData("freshness: {expected: 30m, stale: 1h}", "freshness: {stale: 1h}", "'freshness' of feature view 'tuned_stats' needs 'expected'")]
    [InlineData("freshness: {expected: 30m, stale: 1h}", "freshness: {expected: 30m, stail: 1h}", "Unknown key 'stail' in 'freshness' of feature view 'tuned_stats'")]
    [InlineData("freshness: {expected: 30m, stale: 1h}", "freshness: {expected: 30m, fresh: soon}", "Invalid 'fresh' of 'freshness' of feature view 'tuned_stats': 'soon'")]
    public async Task A_wrong_freshness_is_reported_at_its_line(string good, string bad, string message)
    {
        using var repo = SampleRepository.Create();
        var yaml = Views.Replace(good, bad, StringComparison.Ordinal);
        Assert.NotEqual(Views, yaml);
        repo.Write("fresh.yaml", yaml);

        await using var store = FeatureStore.Open(repo.Root);
        var e = await Assert.ThrowsAsync<DefinitionException>(() => store.PlanAsync());

        var d = Assert.Single(e.Diagnostics, d => d.Message.Contains(message, StringComparison.Ordinal));
        Assert.Equal("fresh.yaml", d.Location!.Value.File);
        Assert.Equal(LineOf(yaml, bad), d.Location.Value.Line);
    }

    [Fact]
    public void The_builder_sets_the_same_expectation_and_refuses_what_yaml_refuses()
    {
        var builder = new FeatureViewBuilder();
        builder.Freshness("weekly", stale: TimeSpan.FromDays(30));
        Assert.Equal(new FreshnessExpectation("weekly", TimeSpan.FromDays(7), TimeSpan.FromDays(30)), builder.FreshnessValue);

        var wrong = Assert.Throws<ArgumentException>(() => new FeatureViewBuilder().Freshness("hurly"));
        Assert.Contains("Invalid freshness 'hurly'", wrong.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new FeatureViewBuilder().Freshness("1h", fresh: TimeSpan.FromHours(2), stale: TimeSpan.FromHours(1)));
    }
}

using Granary.Tests.Infrastructure;

namespace Granary.Tests.Registry.Catalog;

/// <summary><c>granary plan</c> and <c>granary apply</c> print the catalog versions after the object diff; <c>--no-promote</c> stages.</summary>
public sealed class ApplyCatalogCliTests
{
    [Fact]
    public async Task Plan_shows_the_catalog_change_and_apply_no_promote_stages_it_until_a_plain_apply()
    {
        using var repo = SampleRepository.Create();
        var first = await CliRunner.RunAsync("apply", "--repo", repo.Root);
        Assert.Equal(0, first.Exit);
        Assert.Contains("catalog user_stats 1.0.0 (new)", first.Out, StringComparison.Ordinal);
        repo.Write("features/shop.yaml", SampleRepository.Features.Replace("{name: spend_7d, dtype: float64}", "{name: spend_7d, dtype: float32}", StringComparison.Ordinal));

        var plan = await CliRunner.RunAsync("plan", "--repo", repo.Root);
        var lines = plan.Out.ReplaceLineEndings("\n").Split('\n');
        var diff = Array.FindIndex(lines, l => l.Contains("schema.spend_7d.dtype: float64 -> float32", StringComparison.Ordinal));
        var catalog = Array.FindIndex(lines, l => l == "  catalog user_stats 1.0.0 -> 2.0.0 (major: schema.spend_7d.dtype: float64 -> float32)");
        Assert.True(diff >= 0 && catalog > diff, plan.Out);

        var staged = await CliRunner.RunAsync("apply", "--no-promote", "--repo", repo.Root);
        Assert.Equal(0, staged.Exit);
        Assert.Contains("catalog user_stats 1.0.0 -> 2.0.0 staged (major:", staged.Out, StringComparison.Ordinal);
        Assert.Contains("Staged, not promoted: user_stats", staged.Out, StringComparison.Ordinal);

        var promoted = await CliRunner.RunAsync("apply", "--repo", repo.Root);
        Assert.Contains("catalog user_stats 1.0.0 -> 2.0.0 (staged version promoted)", promoted.Out, StringComparison.Ordinal);
        Assert.Contains("~ feature view user_stats", promoted.Out, StringComparison.Ordinal);
    }
}

using Granary.Cli.Commands;
using Granary.Cli.Quickstart;
using Granary.Cli.Templates;
using Granary.Quality.Drift;

namespace Granary.Tests.Quickstart;

/// <summary>The quickstart's drift step on the demo data: the shift the generator planted is found, and only it.</summary>
public sealed class QuickstartQualityTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("granary-quickstart-quality-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task The_planted_shift_is_high_and_the_other_ad_features_are_none_or_low()
    {
        var demo = new DemoDataOptions();
        await RepositoryTemplates.WriteAsync(RepositoryTemplates.Adtech, _root, demo);
        await using var store = FeatureStore.Open(_root);
        await store.ApplyAsync();
        using var output = new StringWriter();

        var report = await QuickstartQuality.RunAsync(store, demo, output, CancellationToken.None);

        Assert.Equal(["impressions_1d", "clicks_1d", "ctr_7d"], report.Features.Select(f => f.Name));
        var drifted = report.Features[0];
        Assert.Equal(DriftSeverity.High, drifted.Severity);
        // Impressions counted twice: the mean nearly doubles (a few ads have no impressions on a day either way).
        Assert.InRange(drifted.MeanShift!.Value, 0.8, 1.05);
        Assert.All(report.Features.Skip(1), f => Assert.True(f.Severity <= DriftSeverity.Low, $"{f.Name} is {f.Severity}"));
        Assert.Matches(@"\n\s+impressions_1d\s+high\s", output.ToString());
        Assert.Contains("10. Data quality: checking ad_performance for drift, 2026-10-23 on against 2026-10-09 to 2026-10-23", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Step_11_writes_the_report_of_the_drifted_view_under_the_repository()
    {
        var demo = new DemoDataOptions();
        await RepositoryTemplates.WriteAsync(RepositoryTemplates.Adtech, _root, demo);
        await using var store = FeatureStore.Open(_root);
        await store.ApplyAsync();
        using var output = new StringWriter();

        var path = await QuickstartQuality.WriteReportAsync(store, demo, output, CancellationToken.None);

        Assert.Equal(Path.Combine(store.RepositoryRoot, "reports", "ad_performance.html"), path);
        Assert.Contains($"Wrote {path}", output.ToString(), StringComparison.Ordinal);
        var html = await File.ReadAllTextAsync(path);
        Assert.Contains($"<a href=\"#feature-{QuickstartQuality.DriftedFeature}\">{QuickstartQuality.DriftedFeature}</a></td><td class=\"severity-high\">high</td>", html, StringComparison.Ordinal);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(html, "src=\"data:image/png;base64,"));
    }

    [Fact]
    public async Task Before_the_planted_shift_the_same_check_finds_nothing_high()
    {
        // The same demo data, compared within the days before the shift: the first half against the second.
        var demo = new DemoDataOptions();
        await RepositoryTemplates.WriteAsync(RepositoryTemplates.Adtech, _root, demo);
        await using var store = FeatureStore.Open(_root);
        await store.ApplyAsync();
        var request = QuickstartQuality.Request(demo);
        var middle = request.BaselineStart!.Value.AddDays(7);

        var report = await store.DriftAsync(request with { BaselineEnd = middle, CurrentStart = middle, CurrentEnd = demo.DriftStart });

        Assert.All(report.Features, f => Assert.True(f.Severity <= DriftSeverity.Low, $"{f.Name} is {f.Severity}"));
    }
}

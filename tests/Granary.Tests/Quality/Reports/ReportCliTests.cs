using System.Text.RegularExpressions;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Quality.Reports;

/// <summary><c>granary report</c>: the page's sections for a planted drift, its plots beside it, and its refusals.</summary>
public sealed partial class ReportCliTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public async Task The_report_of_a_planted_drift_shows_each_section_with_a_plot_per_feature()
    {
        using var repo = await ReportRepository.CreateAsync();
        var output = Path.Combine(repo.Root, "out", "ads.html");

        var run = await CliRunner.RunAsync(["report", "ad_stats", "--repo", repo.Root, "--output", output, .. ReportRepository.Periods()]);

        Assert.True(run.Exit == 0, run.Err);
        Assert.Contains($"Wrote {output}", run.Out, StringComparison.Ordinal);
        var html = await File.ReadAllTextAsync(output);
        foreach (var section in new[] { "id=\"freshness\"", "id=\"drift\"", "id=\"validation\"", "id=\"feature-ctr\"", "id=\"feature-clicks\"", "id=\"feature-country\"" })
        {
            Assert.Contains(section, html, StringComparison.Ordinal);
        }

        // The shifted feature is high in the summary table; the unchanged one is not.
        Assert.Matches("<a href=\"#feature-ctr\">ctr</a></td><td class=\"severity-high\">high</td>", html);
        Assert.DoesNotMatch("<a href=\"#feature-clicks\">clicks</a></td><td class=\"severity-high\">", html);
        Assert.Contains("class=\"recommendations\"", html, StringComparison.Ordinal);
        // The enum rule fails on the planted markup, which shows escaped and never as a script of the data.
        Assert.Matches("<tr class=\"rule-failed\"><td>country</td><td>enum</td><td>error</td><td>[1-9][0-9]*</td>", html);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(ReportRepository.HostileCountry), html, StringComparison.Ordinal);
        Assert.DoesNotContain(ReportRepository.HostileCountry, html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);

        var images = EmbeddedPng().Matches(html);
        Assert.Equal(3, images.Count);
        foreach (Match image in images)
        {
            Assert.Equal(PngSignature, Convert.FromBase64String(image.Groups[1].Value)[..8]);
        }

        var plots = Directory.GetFiles(Path.Combine(repo.Root, "out", "ads_plots"), "*.png").Select(p => Path.GetFileName(p)).Order().ToArray();
        Assert.Equal(["clicks.png", "country.png", "ctr.png"], plots);
        Assert.Equal(PngSignature, (await File.ReadAllBytesAsync(Path.Combine(repo.Root, "out", "ads_plots", "ctr.png")))[..8]);
    }

    [Fact]
    public async Task Without_output_the_report_goes_to_reports_under_the_repository()
    {
        using var repo = await ReportRepository.CreateAsync();

        var run = await CliRunner.RunAsync(["report", "ad_stats", "--repo", repo.Root, .. ReportRepository.Periods()]);

        Assert.True(run.Exit == 0, run.Err);
        var expected = Path.Combine(repo.Root, "reports", "ad_stats.html");
        Assert.Contains($"Wrote {expected}", run.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(expected));
    }

    [Fact]
    public async Task An_unknown_view_and_an_empty_period_are_refused_with_what_and_where()
    {
        using var repo = await ReportRepository.CreateAsync();

        var unknown = await CliRunner.RunAsync(["report", "ad_stat", "--repo", repo.Root, .. ReportRepository.Periods()]);
        var empty = await CliRunner.RunAsync("report", "ad_stats", "--repo", repo.Root, "--current-start", "2025-01-01", "--current-end", "2025-01-02");

        Assert.NotEqual(0, unknown.Exit);
        Assert.Contains("ad_stat", unknown.Err, StringComparison.Ordinal);
        Assert.NotEqual(0, empty.Exit);
        Assert.Contains("has no rows with event time from 2025-01-01 00:00:00Z to 2025-01-02 00:00:00Z", empty.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(repo.Root, "reports")));
    }

    [GeneratedRegex("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")]
    private static partial Regex EmbeddedPng();
}

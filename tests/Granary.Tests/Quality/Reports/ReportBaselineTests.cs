using System.Text.Json;
using System.Text.RegularExpressions;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Quality.Reports;

/// <summary>
/// <c>granary report</c> against a stored profile and against a saved training dataset, instead of a baseline period:
/// the page names its baseline, finds the planted drift and every plot decodes in headless Chromium.
/// </summary>
public sealed partial class ReportBaselineTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    // The baseline period's profile, stored: its id.
    private static async Task<string> StoreProfileAsync(TempRepository repo)
    {
        var run = await CliRunner.RunAsync("profile", "ad_stats", "--repo", repo.Root, "--start", ReportRepository.BaselineStart, "--end", ReportRepository.CurrentStart, "--format", "json");
        Assert.True(run.Exit == 0, run.Err);
        using var document = JsonDocument.Parse(run.Out);
        return document.RootElement.GetProperty("id").GetString()!;
    }

    // Each of the 200 ads at the end of the baseline period, its latest values, saved as "train".
    private static async Task SaveDatasetAsync(TempRepository repo)
    {
        repo.Write("entities.csv", "ad_id,event_timestamp\n" + string.Concat(Enumerable.Range(0, 200).Select(i => $"{i},2026-11-02T09:00:00Z\n")));
        var run = await CliRunner.RunAsync("get-historical", "--repo", repo.Root, "--entities", Path.Combine(repo.Root, "entities.csv"),
            "--features", "ad_stats:ctr,ad_stats:clicks,ad_stats:country", "--output", Path.Combine(repo.Root, "train.parquet"), "--save-as", "train");
        Assert.True(run.Exit == 0, run.Err);
    }

    [Theory]
    [InlineData("profile")]
    [InlineData("dataset")]
    public async Task A_report_against_a_stored_baseline_renders_every_plot(string baseline)
    {
        using var repo = await ReportRepository.CreateAsync();
        string[] option;
        string named;
        if (baseline == "profile")
        {
            var id = await StoreProfileAsync(repo);
            (option, named) = (["--baseline-profile", id], $"profile {id}");
        }
        else
        {
            await SaveDatasetAsync(repo);
            (option, named) = (["--baseline-dataset", "train"], "saved dataset train (200 rows)");
        }

        var output = Path.Combine(repo.Root, "ads.html");
        var run = await CliRunner.RunAsync(["report", "ad_stats", "--repo", repo.Root, "--output", output,
            "--current-start", ReportRepository.CurrentStart, "--current-end", ReportRepository.CurrentEnd, .. option]);

        Assert.True(run.Exit == 0, run.Err);
        var html = await File.ReadAllTextAsync(output);
        Assert.Contains("baseline " + System.Net.WebUtility.HtmlEncode(named), html, StringComparison.Ordinal);
        Assert.Matches("<a href=\"#feature-ctr\">ctr</a></td><td class=\"severity-high\">high</td>", html);
        var images = EmbeddedPng().Matches(html);
        Assert.Equal(3, images.Count);
        foreach (Match image in images)
        {
            Assert.Equal(PngSignature, Convert.FromBase64String(image.Groups[1].Value)[..8]);
        }

        var dom = await ReportChromiumTests.DumpDomAsync(output, repo.Root);
        var decoded = ReportChromiumTests.PlotsDecoded().Match(dom);
        Assert.True(decoded.Success, "The page's load handler did not run: " + dom[..Math.Min(dom.Length, 400)]);
        var sizes = decoded.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, sizes.Length);
        Assert.All(sizes, size => Assert.Equal("720x360", size));
    }

    [GeneratedRegex("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")]
    private static partial Regex EmbeddedPng();
}

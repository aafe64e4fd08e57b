using System.Diagnostics;
using System.Text.RegularExpressions;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Quality.Reports;

/// <summary>
/// The written report opened in headless Chromium (Debian's <c>chromium</c>): every plot image decodes to a non-empty
/// picture. The page's own load handler records each image's decoded size, which <c>--dump-dom</c> then shows.
/// </summary>
public sealed partial class ReportChromiumTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Every_plot_of_the_report_decodes_in_headless_chromium()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium package (./test.sh does).");
        using var repo = await ReportRepository.CreateAsync();
        var output = Path.Combine(repo.Root, "ads.html");
        var run = await CliRunner.RunAsync(["report", "ad_stats", "--repo", repo.Root, "--output", output, .. ReportRepository.Periods()]);
        Assert.True(run.Exit == 0, run.Err);
        var plots = Regex.Count(await File.ReadAllTextAsync(output), "<img class=\"plot\"");

        var dom = await DumpDomAsync(output, repo.Root);

        var decoded = PlotsDecoded().Match(dom);
        Assert.True(decoded.Success, "The page's load handler did not run: " + dom[..Math.Min(dom.Length, 400)]);
        var sizes = decoded.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, plots);
        Assert.Equal(plots, sizes.Length);
        Assert.All(sizes, size => Assert.Equal("720x360", size));
    }

    internal static async Task<string> DumpDomAsync(string file, string profileRoot)
    {
        var start = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--disable-dev-shm-usage",
            $"--user-data-dir={Path.Combine(profileRoot, "chromium-profile")}", "--virtual-time-budget=5000", "--dump-dom",
            new Uri(file).AbsoluteUri,
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium did not finish within 90 seconds: " + await stderr);
        }

        Assert.True(process.ExitCode == 0, $"chromium exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    [GeneratedRegex("data-plots-decoded=\"([^\"]*)\"")]
    internal static partial Regex PlotsDecoded();
}

using System.Globalization;
using Granary.Cli.Output;
using Granary.Cli.Quickstart;
using Granary.Drift;
using Granary.Server.Http.Monitoring;

namespace Granary.Cli.Commands;

/// <summary>
/// The quickstart's data-quality step: a drift check of <c>ad_performance</c>, the last third of the demo window
/// against the days before it, as <c>granary drift</c> runs it. The generator planted a real shift there (from
/// <see cref="DemoDataOptions.DriftStartDay"/> on, impressions_1d counts every impression twice), so one feature is
/// high and the others are not.
/// </summary>
internal static class QuickstartQuality
{
    public const string View = "ad_performance";

    /// <summary>The feature the demo data's drift is planted in.</summary>
    public const string DriftedFeature = "impressions_1d";

    public static async Task<DriftReport> RunAsync(FeatureStore store, DemoDataOptions data, TextWriter output, CancellationToken cancellationToken)
    {
        var request = Request(data);
        output.WriteLine($"10. Data quality: checking {View} for drift, {Day(request.CurrentStart)} on against {Day(request.BaselineStart!.Value)} to {Day(request.BaselineEnd!.Value)}...");
        var report = await store.DriftAsync(request, cancellationToken);
        var table = new TextTable("FEATURE", "SEVERITY", "KS P", "PSI", "MEAN SHIFT");
        foreach (var f in report.Features)
        {
            table.AddRow(f.Name, DriftJson.Severity(f.Severity), Number(f.KsPValue), Number(f.Psi), Number(f.MeanShift));
        }

        using (var text = new StringWriter())
        {
            table.Write(text);
            foreach (var line in text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                output.WriteLine("   " + line.TrimEnd('\r'));
            }
        }

        if (report.Features.FirstOrDefault(f => f.Name == DriftedFeature) is { Recommendations.Count: > 1 } drifted)
        {
            output.WriteLine($"   {DriftedFeature}: {drifted.Recommendations[1]}");
        }

        output.WriteLine($"   (The demo data counts impressions twice from {Day(data.DriftStart)} on: the shift the check should find.)");
        return report;
    }

    /// <summary>Step 11: the HTML report of the drifted view over the same periods, written to reports/ in the repository.</summary>
    public static async Task<string> WriteReportAsync(FeatureStore store, DemoDataOptions data, TextWriter output, CancellationToken cancellationToken)
    {
        var drift = Request(data);
        output.WriteLine($"11. Writing the monitoring report of {View} (profile, histograms, drift, freshness, validation)...");
        var request = new Reports.ReportRequest
        {
            View = View,
            CurrentStart = drift.CurrentStart,
            CurrentEnd = drift.CurrentEnd,
            BaselineStart = drift.BaselineStart,
            BaselineEnd = drift.BaselineEnd,
        };
        using var lines = new StringWriter();
        var path = await ReportCommand.WriteAsync(store, request, output: null, lines, cancellationToken);
        foreach (var line in lines.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            output.WriteLine("   " + line.TrimEnd('\r'));
        }

        return path;
    }

    /// <summary>
    /// The check the quickstart runs: the baseline starts once the 7-day windows are full (day 7), the current period
    /// is the window's last third, where the drift was planted, up to the last snapshot (at the anchor).
    /// </summary>
    public static DriftRequest Request(DemoDataOptions data) => new()
    {
        View = View,
        BaselineStart = data.WindowStart.AddDays(Math.Min(7, data.DriftStartDay - 1)),
        BaselineEnd = data.DriftStart,
        CurrentStart = data.DriftStart,
        CurrentEnd = data.Anchor.AddDays(1),
    };

    /// <summary>The command that runs the same check from the shell.</summary>
    public static string Command(string granary, string repository, DemoDataOptions data)
    {
        var r = Request(data);
        return $"{granary} drift {View} --baseline-start {Iso(r.BaselineStart!.Value)} --baseline-end {Iso(r.BaselineEnd!.Value)} "
            + $"--current-start {Iso(r.CurrentStart)} --current-end {Iso(r.CurrentEnd)} --repo {repository}";
    }

    private static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Number(double? value) => value switch
    {
        null => "-",
        { } v when v != 0 && Math.Abs(v) < 0.0001 => v.ToString("0.0e+0", CultureInfo.InvariantCulture),
        { } v => v.ToString("0.####", CultureInfo.InvariantCulture),
    };
}

using System.CommandLine;
using Granary.Reports;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary report VIEW [--output FILE] [--current-start T --current-end T] [--baseline-start T --baseline-end T |
/// --baseline-profile ID | --baseline-dataset NAME]</c>: the view's monitoring report as one self-contained HTML file
/// (<c>reports/VIEW.html</c> under the repository by default) with its plots beside it, as
/// <c>GET /api/v1/monitoring/report/{view}</c> serves it.
/// </summary>
internal static class ReportCommand
{
    public const string Name = "report";

    public static Command Create()
    {
        var view = new Argument<string>("VIEW") { Description = "The feature view to report on." };
        var output = new Option<string?>("--output") { Description = "The HTML file to write; reports/VIEW.html under the repository by default. Plots go beside it in FILE_plots/.", HelpName = "FILE" };
        var currentStart = TimeArguments.Option("--current-start", $"Start of the current period, inclusive; {MonitoringReportBuilder.DefaultCurrentDays} days before its end by default.");
        var currentEnd = TimeArguments.Option("--current-end", "End of the current period, excluded; just after the view's newest recorded event by default (now when none is recorded).");
        var baselineStart = TimeArguments.Option("--baseline-start", $"Start of the baseline period, inclusive; {MonitoringReportBuilder.DefaultBaselineDays} days before its end by default.");
        var baselineEnd = TimeArguments.Option("--baseline-end", "End of the baseline period, excluded; the current period's start by default.");
        var baselineProfile = new Option<string?>("--baseline-profile") { Description = "Compare with a stored profile of the view instead of a period ('granary profile list VIEW').", HelpName = "ID" };
        var baselineDataset = new Option<string?>("--baseline-dataset") { Description = "Compare with the rows of a saved training dataset instead of a period.", HelpName = "NAME" };
        var command = new Command(Name, "Write a view's monitoring report: profile, baseline-against-current histograms, drift, freshness and validation, as one HTML file.")
        {
            view, output, currentStart, currentEnd, baselineStart, baselineEnd, baselineProfile, baselineDataset,
        };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            DateTimeOffset? Time(Option<string?> option) =>
                parseResult.GetValue(option) is { } text ? TimeArguments.Parse(text, option.Name, context.TimeProvider) : null;

            var request = new ReportRequest
            {
                View = parseResult.GetValue(view)!,
                CurrentStart = Time(currentStart),
                CurrentEnd = Time(currentEnd),
                BaselineStart = Time(baselineStart),
                BaselineEnd = Time(baselineEnd),
                BaselineProfile = parseResult.GetValue(baselineProfile),
                BaselineDataset = parseResult.GetValue(baselineDataset),
            };
            await using var store = await context.OpenAppliedStoreAsync(cancellationToken);
            context.Error.WriteLine($"Gathering the report of '{request.View}': profile, drift, freshness and validation...");
            await WriteAsync(store, request, parseResult.GetValue(output), context.Output, cancellationToken);
            return 0;
        });
        return command;
    }

    /// <summary>Gathers and writes the report, prints a summary line and the file's path, and returns the path.</summary>
    public static async Task<string> WriteAsync(FeatureStore store, ReportRequest request, string? output, TextWriter summary, CancellationToken cancellationToken)
    {
        var report = await MonitoringReportBuilder.BuildAsync(store, request, cancellationToken);
        var path = Path.GetFullPath(output ?? Path.Combine(store.RepositoryRoot, "reports", FileName(report.View) + ".html"));
        var plots = await ReportWriter.WriteFileAsync(report, path, cancellationToken);
        var drifted = report.Drift.Features.Count(f => f.Severity != Quality.Drift.DriftSeverity.None);
        var failing = report.Validation.Rules.Count(r => !r.Passed);
        summary.WriteLine($"Report of '{report.View}': {report.Drift.Features.Count} features ({drifted} drifted), {failing} failing rules, {plots.Count} plots.");
        summary.WriteLine($"Wrote {path}");
        return path;
    }

    private static string FileName(string view) => string.Concat(view.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}

using System.CommandLine;
using System.Globalization;
using Granary.Cli.Output;
using Granary.Core.Model;
using Granary.Quality.Rules;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary validate VIEW [--start T --end T] [--format json]</c>: the view's validation rules evaluated inside the
/// offline engine over its source rows with event time in [start, end). Exits 1 when a rule of severity
/// <c>error</c> does not hold, so a pipeline can stop on bad data.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var view = new Argument<string>("VIEW") { Description = "The feature view whose rules to evaluate (view@v2 for a pinned version)." };
        var start = new Option<string?>("--start") { Description = "The first event time included (ISO-8601, UTC unless a zone is given, or 'now'); the source's first row by default.", HelpName = "T" };
        var end = new Option<string?>("--end") { Description = "The event time the period ends before (excluded); no upper bound by default.", HelpName = "T" };
        var format = new Option<string>("--format")
        {
            Description = "text for people, or json: the same JSON as /api/v1/monitoring/validation/{view}.",
            DefaultValueFactory = _ => "text",
            HelpName = "text|json",
        };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("validate", "Evaluate a feature view's validation rules on its source rows, inside the offline engine; exit 1 when an error rule fails.")
        {
            view, start, end, format,
        };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            var from = parseResult.GetValue(start) is { } s ? TimeArguments.Parse(s, "--start", context.TimeProvider) : (DateTimeOffset?)null;
            var to = parseResult.GetValue(end) is { } e ? TimeArguments.Parse(e, "--end", context.TimeProvider) : (DateTimeOffset?)null;
            await using var store = await context.OpenAppliedStoreAsync(cancellationToken);
            var report = await store.ValidateAsync(parseResult.GetValue(view)!, from, to, cancellationToken);
            if (parseResult.GetValue(format) == "json")
            {
                FeaturesOutput.WriteJson(context.Output, report, ValidationReportJson.Write);
            }
            else
            {
                WriteText(context.Output, report);
            }

            var failing = report.Rules.Count(r => !r.Passed && r.Severity == ValidationSeverity.Error);
            if (failing == 0)
            {
                return 0;
            }

            context.Error.WriteLine($"error: {failing} error rule{(failing == 1 ? "" : "s")} of feature view '{report.View}' do{(failing == 1 ? "es" : "")} not hold.");
            return CommandRunner.Failed;
        });
        return command;
    }

    private static void WriteText(TextWriter output, ValidationReport report)
    {
        var period = (report.Start, report.End) switch
        {
            (null, null) => "all source rows",
            ({ } s, null) => $"source rows from {FeaturesOutput.Time(s)}",
            (null, { } e) => $"source rows before {FeaturesOutput.Time(e)}",
            ({ } s, { } e) => $"source rows in [{FeaturesOutput.Time(s)}, {FeaturesOutput.Time(e)})",
        };
        if (report.Rules.Count == 0)
        {
            output.WriteLine($"Feature view '{report.View}' declares no validation rules; add them under a schema field's 'validation:'.");
            return;
        }

        var table = new TextTable("FEATURE", "RULE", "SEVERITY", "RESULT", "FAILED", "TOTAL", "EXAMPLE");
        foreach (var rule in report.Rules)
        {
            table.AddRow(
                rule.Feature,
                rule.Rule,
                rule.Severity.Key(),
                rule.Passed ? "ok" : "FAILED",
                rule.Failed.ToString("N0", CultureInfo.InvariantCulture),
                rule.Total.ToString("N0", CultureInfo.InvariantCulture),
                rule.Example ?? "-");
        }

        output.WriteLine($"Validation of '{report.View}' over {period}: {(report.Passed ? "passed" : "failed")}.");
        table.Write(output);
    }
}

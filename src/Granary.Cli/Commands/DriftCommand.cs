using System.CommandLine;
using System.Globalization;
using Granary.Cli.Output;
using Granary.Drift;
using Granary.Server.Http.Monitoring;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary drift VIEW --current-start T --current-end T [--current-source offline|serving] (--baseline-start T --baseline-end T | --baseline-profile ID |
/// --baseline-dataset NAME) [--features a,b] [--format json]</c>: the drift of a view's features, as a table or as the
/// JSON of <c>GET /api/v1/monitoring/drift/{view}</c>.
/// </summary>
internal static class DriftCommand
{
    public const string Name = "drift";

    public static Command Create()
    {
        var view = new Argument<string>("VIEW") { Description = "The feature view to check." };
        var currentStart = TimeArguments.Option("--current-start", "Start of the current period (ISO-8601, UTC unless a zone is given), inclusive.");
        var currentEnd = TimeArguments.Option("--current-end", "End of the current period, excluded; 'now' for the current time.");
        currentStart.Required = true;
        currentEnd.Required = true;
        var currentSource = new Option<string>("--current-source")
        {
            Description = "offline: the view's source rows in the current period; serving: the values served in it, from the serving log (monitoring.serving_sample_rate).",
            DefaultValueFactory = _ => "offline",
            HelpName = "offline|serving",
        };
        currentSource.AcceptOnlyFromAmong("offline", "serving");
        var baselineStart = TimeArguments.Option("--baseline-start", "Start of a baseline period, inclusive (with --baseline-end).");
        var baselineEnd = TimeArguments.Option("--baseline-end", "End of a baseline period, excluded.");
        var baselineProfile = new Option<string?>("--baseline-profile") { Description = "Compare with a stored profile of the view ('granary profile list VIEW').", HelpName = "ID" };
        var baselineDataset = new Option<string?>("--baseline-dataset") { Description = "Compare with the rows of a saved training dataset ('granary saved-datasets list').", HelpName = "NAME" };
        var features = new Option<string?>("--features") { Description = "Only these features (comma-separated); every numeric, string and boolean feature by default.", HelpName = "a,b" };
        var format = new Option<string>("--format")
        {
            Description = "text for people, or json: the same JSON as GET /api/v1/monitoring/drift/{view}.",
            DefaultValueFactory = _ => "text",
            HelpName = "text|json",
        };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command(Name, "Compare a view's features in a current period with a baseline: statistics, severity and what to do.")
        {
            view, currentStart, currentEnd, currentSource, baselineStart, baselineEnd, baselineProfile, baselineDataset, features, format,
        };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            DateTimeOffset? Time(Option<string?> option) =>
                parseResult.GetValue(option) is { } text ? TimeArguments.Parse(text, option.Name, context.TimeProvider) : null;

            var request = new DriftRequest
            {
                View = parseResult.GetValue(view)!,
                CurrentStart = Time(currentStart)!.Value,
                CurrentEnd = Time(currentEnd)!.Value,
                CurrentSource = parseResult.GetValue(currentSource) == "serving" ? DriftSource.Serving : DriftSource.Offline,
                BaselineStart = Time(baselineStart),
                BaselineEnd = Time(baselineEnd),
                BaselineProfile = parseResult.GetValue(baselineProfile),
                BaselineDataset = parseResult.GetValue(baselineDataset),
                Features = TimeArguments.SplitList(parseResult.GetValue(features)),
            };
            await using var store = await context.OpenAppliedStoreAsync(cancellationToken);
            var report = await store.DriftAsync(request, cancellationToken);
            if (parseResult.GetValue(format) == "json")
            {
                FeaturesOutput.WriteJson(context.Output, report, DriftJson.Write);
                return 0;
            }

            Write(context.Output, report, request);
            return 0;
        });
        return command;
    }

    /// <summary>The report as a table, then each feature's recommendations.</summary>
    public static void Write(TextWriter output, DriftReport report, DriftRequest request)
    {
        var served = request.CurrentSource == DriftSource.Serving ? "values served from " : "";
        output.WriteLine($"Drift of '{report.View}': {served}{FeaturesOutput.Time(request.CurrentStart)} to {FeaturesOutput.Time(request.CurrentEnd)} against {report.Baseline}.");
        var table = new TextTable("FEATURE", "SEVERITY", "KS", "KS P", "CHI2 P", "PSI", "JS", "MEAN SHIFT", "STD SHIFT");
        foreach (var f in report.Features)
        {
            table.AddRow(f.Name, DriftJson.Severity(f.Severity), Number(f.KsStatistic), Number(f.KsPValue), Number(f.Chi2PValue), Number(f.Psi), Number(f.JsDistance), Number(f.MeanShift), Number(f.StdShift));
        }

        table.Write(output);
        foreach (var f in report.Features)
        {
            if (f.Recommendations.Count == 0)
            {
                continue;
            }

            output.WriteLine();
            output.WriteLine($"{f.Name} ({DriftJson.Severity(f.Severity)}):");
            foreach (var recommendation in f.Recommendations)
            {
                output.WriteLine($"  - {recommendation}");
            }
        }
    }

    private static string Number(double? value) => value switch
    {
        null => "-",
        double.PositiveInfinity => "inf",
        { } v when v != 0 && Math.Abs(v) < 0.0001 => v.ToString("0.0e+0", CultureInfo.InvariantCulture),
        { } v => v.ToString("0.####", CultureInfo.InvariantCulture),
    };
}

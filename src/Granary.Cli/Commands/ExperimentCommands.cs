using System.CommandLine;
using System.Globalization;
using Granary.Cli.Output;
using Granary.Core.Model;
using Granary.Experiments;
using Granary.Registry;
using Granary.Server.Http.Experiments;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary experiments list|describe</c> (as every registry kind), <c>experiments assign NAME --unit ID</c>,
/// which prints the variant a unit is assigned: the same answer the server's requests get, in any process, and
/// <c>experiments report NAME [--start T] [--end T] [--format json]</c>, the exposures per variant.
/// </summary>
internal static class ExperimentCommands
{
    public static Command AddTo(Command group)
    {
        var name = new Argument<string>("NAME") { Description = "The experiment's name." };
        var unit = new Option<string>("--unit") { Description = "The unit to assign (a user, a session): the request's unit_id.", Required = true, HelpName = "ID" };
        var assign = new Command("assign", "Print the variant a unit is assigned in an experiment (first line), then its version and the unit's position in [0, 1).") { name, unit };
        CommandRunner.SetAction(assign, async (parseResult, context, cancellationToken) =>
        {
            await using var store = context.OpenStore();
            var experiment = parseResult.GetValue(name)!;
            var unitId = parseResult.GetValue(unit)!;
            var variant = await store.AssignExperimentAsync(experiment, unitId, cancellationToken);
            context.Output.WriteLine(variant.Name);
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"version {variant.Version}, position {ExperimentAssignment.Position(experiment, unitId):R}"));
            return 0;
        });
        group.Subcommands.Add(assign);
        group.Subcommands.Add(Report());
        return group;
    }

    private static Command Report()
    {
        var name = new Argument<string>("NAME") { Description = "The experiment's name." };
        var start = TimeArguments.Option("--start", "Start of the period (ISO-8601, UTC unless a zone is given), inclusive; by default the serving log's retention before --end.");
        var end = TimeArguments.Option("--end", "End of the period, excluded; 'now' (the default) for the current time.");
        var format = new Option<string>("--format")
        {
            Description = "text for people, or json: the same JSON as GET /api/v1/experiments/{name}/report.",
            DefaultValueFactory = _ => "text",
            HelpName = "text|json",
        };
        format.AcceptOnlyFromAmong("text", "json");
        var report = new Command("report", "Show an experiment's exposures per variant (reads and distinct units served) beside the declared shares, with a sample ratio check.")
        {
            name, start, end, format,
        };
        CommandRunner.SetAction(report, async (parseResult, context, cancellationToken) =>
        {
            DateTimeOffset? Time(Option<string?> option) =>
                parseResult.GetValue(option) is { } text ? TimeArguments.Parse(text, option.Name, context.TimeProvider) : null;

            await using var store = context.OpenStore();
            var result = await store.GetExperimentReportAsync(parseResult.GetValue(name)!, Time(start), Time(end), cancellationToken);
            if (parseResult.GetValue(format) == "json")
            {
                FeaturesOutput.WriteJson(context.Output, result, ExperimentReportJson.Write);
                return 0;
            }

            WriteReport(context.Output, result);
            return 0;
        });
        return report;
    }

    /// <summary>The report as <c>granary experiments report</c> prints it (the quickstart prints it indented).</summary>
    internal static void WriteReport(TextWriter output, ExperimentReport report)
    {
        output.WriteLine($"Experiment '{report.Experiment}' on feature view '{report.FeatureView}', {FeaturesOutput.Time(report.Start)} to {FeaturesOutput.Time(report.End)}:");
        var table = new TextTable("VARIANT", "VERSION", "DECLARED", "EXPOSURES", "UNITS", "UNIT SHARE");
        foreach (var v in report.Variants)
        {
            table.AddRow(
                v.Variant,
                v.Version,
                v.DeclaredShare is { } share ? share.ToString("0.####", CultureInfo.InvariantCulture) : "(not declared)",
                v.Exposures.ToString(CultureInfo.InvariantCulture),
                v.Units.ToString(CultureInfo.InvariantCulture),
                v.UnitShare.ToString("0.####", CultureInfo.InvariantCulture));
        }

        table.Write(output);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{report.Units} units exposed; {report.UnitsInSeveralVariants} saw more than one variant."));
        output.WriteLine(report.SampleRatioPValue switch
        {
            null => "Sample ratio check: not enough data (it needs two declared variants and at least one unit).",
            < 0.001 and var p => string.Create(CultureInfo.InvariantCulture, $"Sample ratio check: p = {p:G4}, a mismatch: the units are not split as declared; check the assignment and what requests reach the server before reading any result."),
            var p => string.Create(CultureInfo.InvariantCulture, $"Sample ratio check: p = {p:G4}, the units are split as declared."),
        });
    }

    public static TextTable List(RegistryContents contents, TagFilter filter)
    {
        var table = new TextTable("NAME", "FEATURE VIEW", "VARIANTS", "DESCRIPTION");
        foreach (var x in contents.Definitions.Experiments)
        {
            if (!filter.Matches(x))
            {
                continue;
            }

            var variants = string.Join(", ", x.Variants.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.Name}={v.Version}:{v.Share:0.####}")));
            table.AddRow(x.Name, x.FeatureView, variants, x.Description);
        }

        return table;
    }
}

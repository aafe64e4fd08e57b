using System.CommandLine;
using System.Globalization;
using Granary.Cli.Output;
using Granary.Consistency;
using Granary.Server.Http.Monitoring;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary consistency VIEW --start T --end T [--format json]</c>: how the values a view served in a period agree
/// with the offline store re-joined at the served instants, as a table or as the JSON of
/// <c>GET /api/v1/monitoring/consistency/{view}</c>.
/// </summary>
internal static class ConsistencyCommand
{
    public const string Name = "consistency";

    public static Command Create()
    {
        var view = new Argument<string>("VIEW") { Description = "The feature view to check." };
        var start = new Option<string>("--start") { Description = "Start of the served period (ISO-8601, UTC unless a zone is given), inclusive.", HelpName = "T", Required = true };
        var end = new Option<string>("--end") { Description = "End of the served period, excluded; 'now' for the current time.", HelpName = "T", Required = true };
        var format = new Option<string>("--format")
        {
            Description = "text for people, or json: the same JSON as GET /api/v1/monitoring/consistency/{view}.",
            DefaultValueFactory = _ => "text",
            HelpName = "text|json",
        };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command(Name, "Compare the values a view served (the serving log) with the offline store at the served instants.")
        {
            view, start, end, format,
        };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            var request = new ConsistencyRequest
            {
                View = parseResult.GetValue(view)!,
                Start = TimeArguments.Parse(parseResult.GetValue(start)!, start.Name, context.TimeProvider),
                End = TimeArguments.Parse(parseResult.GetValue(end)!, end.Name, context.TimeProvider),
            };
            await using var store = await context.OpenAppliedStoreAsync(cancellationToken);
            var report = await store.ConsistencyAsync(request, cancellationToken);
            if (parseResult.GetValue(format) == "json")
            {
                FeaturesOutput.WriteJson(context.Output, report, ConsistencyJson.Write);
                return 0;
            }

            Write(context.Output, report);
            return 0;
        });
        return command;
    }

    /// <summary>The report as a table of features, then each feature's disagreeing examples.</summary>
    public static void Write(TextWriter output, ConsistencyReport report)
    {
        output.WriteLine($"Consistency of '{report.View}': {report.Rows:N0} served rows from {FeaturesOutput.Time(report.Start)} to {FeaturesOutput.Time(report.End)}; overall {Rate(report.Consistency)}.");
        var table = new TextTable("FEATURE", "COMPARED", "MATCHES", "MISMATCH", "MISSING", "EXTRA", "CONSISTENCY");
        foreach (var f in report.Features)
        {
            table.AddRow(f.Name, f.Compared.ToString(CultureInfo.InvariantCulture), f.Matches.ToString(CultureInfo.InvariantCulture), Rate(f.MismatchRate), Rate(f.MissingRate), Rate(f.ExtraRate), Rate(f.Consistency));
        }

        table.Write(output);
        foreach (var f in report.Features)
        {
            if (f.Examples.Count == 0)
            {
                continue;
            }

            output.WriteLine();
            output.WriteLine($"{f.Name}, disagreeing rows:");
            foreach (var example in f.Examples)
            {
                var entity = string.Join(", ", example.Entity.Select(e => $"{e.Key}={Text(e.Value)}"));
                output.WriteLine($"  {entity} at {FeaturesOutput.Time(example.ServedAt)}: served {Text(example.Served)}, offline {Text(example.Offline)}");
            }
        }
    }

    private static string Rate(double? value) => value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "-";

    private static string Text(object? value) => value is null ? "null" : Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
}

using System.CommandLine;
using System.Globalization;
using Granary.Cli.Output;
using Granary.Core.Model;
using Granary.Registry;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary experiments list|describe</c> (as every registry kind) and <c>experiments assign NAME --unit ID</c>,
/// which prints the variant a unit is assigned: the same answer the server's requests get, in any process.
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
        return group;
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

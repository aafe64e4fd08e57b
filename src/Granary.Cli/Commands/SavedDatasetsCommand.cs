using System.CommandLine;
using Granary.Cli.Output;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Registry.Storage;

namespace Granary.Cli.Commands;

/// <summary><c>granary saved-datasets list|describe NAME</c>: training datasets recorded with <c>get-historical --save-as</c>.</summary>
internal static class SavedDatasetsCommand
{
    public static Command Create()
    {
        var group = new Command("saved-datasets", "List and describe training datasets recorded with 'get-historical --save-as'.");
        var list = new Command("list", "List the saved training datasets.");
        CommandRunner.SetAction(list, async (_, context, cancellationToken) =>
        {
            await using var store = context.OpenStore();
            var datasets = await store.ListDatasetsAsync(cancellationToken);
            if (datasets.Count == 0)
            {
                context.Output.WriteLine($"No saved datasets in project '{store.Project}'. Create one with 'granary get-historical ... --save-as NAME'.");
                return 0;
            }

            var table = new TextTable("NAME", "ROWS", "FEATURES", "FROM", "TO", "OUTPUT");
            foreach (var d in datasets)
            {
                table.AddRow(d.Name, d.RowCount.ToString("N0"), d.Features.Count.ToString(), $"{d.StartTime:yyyy-MM-dd}", $"{d.EndTime:yyyy-MM-dd}", d.Output);
            }

            table.Write(context.Output);
            return 0;
        });

        var nameArgument = new Argument<string>("NAME") { Description = "The dataset's name." };
        var describe = new Command("describe", "Show how a saved dataset was built and the command that rebuilds it.") { nameArgument };
        CommandRunner.SetAction(describe, async (parseResult, context, cancellationToken) =>
        {
            await using var store = context.OpenStore();
            var name = parseResult.GetValue(nameArgument)!;
            var d = await store.GetDatasetAsync(name, cancellationToken)
                ?? throw new GranaryException(ErrorCodes.NotFound, $"No saved dataset named '{name}' in project '{store.Project}'.");
            var o = context.Output;
            o.WriteLine($"name:            {d.Name}");
            o.WriteLine($"rows:            {d.RowCount:N0}");
            o.WriteLine($"entity times:    {d.StartTime:u} to {d.EndTime:u}");
            o.WriteLine($"entities ({d.EntitiesKind}): {d.Entities}");
            o.WriteLine($"features:        {(d.FeatureService is { } s ? $"feature service {s}: " : "")}{string.Join(", ", d.Features)}");
            o.WriteLine($"output:          {d.Output}");
            o.WriteLine($"registry:        version {d.RegistryVersion}");
            o.WriteLine($"saved:           {d.CreatedAt:u} by {d.CreatedBy}");
            o.WriteLine($"rebuild with:    {RebuildCommand(d)}");
            return 0;
        });

        group.Subcommands.Add(list);
        group.Subcommands.Add(describe);
        return group;
    }

    private static string RebuildCommand(SavedDataset d)
    {
        var entities = d.EntitiesKind == "file" ? $"--entities {Quote(d.Entities)}" : $"--entities-sql {Quote(d.Entities)}";
        var features = d.FeatureService is { } service ? $"--feature-service {service}" : $"--features {string.Join(",", d.Features)}";
        var flags = (d.FullFeatureNames ? " --full-feature-names" : "") + (d.FilterByCreatedTimestamp ? " --filter-by-created-timestamp" : "");
        return $"granary get-historical {entities} {features}{flags} --output {Quote(d.Output)}";
    }

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

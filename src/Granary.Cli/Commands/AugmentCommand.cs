using System.CommandLine;
using System.Diagnostics;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary augment --recipe NAME|PATH</c>: the recipe's features joined point in time onto an entity spine, in
/// columns named <c>{feature_namespace}__{feature}</c> beside the spine's own; the same join and output as
/// <c>get-historical --full-feature-names</c>.
/// </summary>
internal static class AugmentCommand
{
    public static Command Create()
    {
        var recipe = new Option<string>("--recipe") { Description = "The recipe: a name (recipes/NAME.yaml) or a path to a recipe file.", Required = true, HelpName = "NAME|PATH" };
        var entities = new Option<string?>("--entities") { Description = "The entity spine: a .parquet or .csv file with the join keys, event_timestamp and any labels.", HelpName = "FILE" };
        var entitiesSql = new Option<string?>("--entities-sql") { Description = "The entity spine as a SELECT run by the offline engine, instead of --entities.", HelpName = "SQL" };
        var output = new Option<string>("--output") { Description = "Where to write the augmented rows: a .parquet or .csv file.", Required = true, HelpName = "FILE" };
        var saveAs = new Option<string?>("--save-as") { Description = "Record the dataset in the registry under this name (as get-historical --save-as does).", HelpName = "NAME" };
        var command = new Command("augment", "Join a recipe's features onto an entity spine, point in time: each row gets each feature's value as known at its event_timestamp.")
        {
            recipe, entities, entitiesSql, output, saveAs,
        };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            var spine = GetHistoricalCommand.EntityTableFrom(parseResult.GetValue(entities), parseResult.GetValue(entitiesSql));
            var path = Path.GetFullPath(parseResult.GetValue(output)!);
            await using var store = await context.OpenAppliedStoreAsync(cancellationToken);
            var loaded = store.LoadRecipe(parseResult.GetValue(recipe)!);
            var result = await store.AugmentAsync(loaded, spine, cancellationToken);
            context.Error.WriteLine($"Augmenting {spine} with recipe '{loaded.Name}': {result.Features.Count} features from {result.Query.Views.Count} feature views in {store.OfflineEngineName}...");
            var clock = Stopwatch.StartNew();
            var rows = await result.WriteAsync(path, cancellationToken);
            context.Output.WriteLine($"Wrote {rows:N0} rows x {result.Features.Count} features to {path} in {clock.Elapsed.TotalSeconds:0.0}s.");
            if (parseResult.GetValue(saveAs) is { } name)
            {
                // Recorded as the historical request it is, so `saved-datasets describe` gives the get-historical command that rebuilds it.
                var saved = await store.SaveDatasetAsync(name, result, path, rows, cancellationToken);
                context.Output.WriteLine($"Saved as dataset '{saved.Name}' (entity times {saved.StartTime:u} to {saved.EndTime:u}, registry version {saved.RegistryVersion}).");
            }

            return 0;
        });
        return command;
    }
}

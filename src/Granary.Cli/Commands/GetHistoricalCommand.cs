using System.CommandLine;
using System.Diagnostics;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Historical;
using Granary.Offline.Retrieval;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary get-historical</c>: point-in-time-correct training data for an entity table, written to Parquet or CSV
/// by the offline engine, optionally recorded in the registry with <c>--save-as</c>.
/// </summary>
internal static class GetHistoricalCommand
{
    public static Command Create()
    {
        var entities = new Option<string?>("--entities") { Description = "The entity rows: a .parquet or .csv file with the join keys, event_timestamp and any labels.", HelpName = "FILE" };
        var entitiesSql = new Option<string?>("--entities-sql") { Description = "The entity rows as a SELECT run by the offline engine, instead of --entities.", HelpName = "SQL" };
        var features = new Option<string?>("--features") { Description = "Comma-separated feature references: view:feature,view:feature.", HelpName = "REFS" };
        var service = new Option<string?>("--feature-service") { Description = "A feature service whose features to retrieve, instead of --features.", HelpName = "NAME" };
        var fullNames = new Option<bool>("--full-feature-names") { Description = "Name feature columns view__feature." };
        var filterCreated = new Option<bool>("--filter-by-created-timestamp") { Description = "Ignore source rows created after the entity row's time (for late backfills)." };
        var output = new Option<string>("--output") { Description = "Where to write the training data: a .parquet or .csv file.", Required = true, HelpName = "FILE" };
        var saveAs = new Option<string?>("--save-as") { Description = "Record the dataset in the registry under this name.", HelpName = "NAME" };
        var command = new Command("get-historical", "Build point-in-time-correct training data: each entity row gets each feature's value as known at its event_timestamp.")
        {
            entities, entitiesSql, features, service, fullNames, filterCreated, output, saveAs,
        };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            var request = new HistoricalFeaturesRequest
            {
                Entities = EntityTableFrom(parseResult.GetValue(entities), parseResult.GetValue(entitiesSql)),
                Features = SplitReferences(parseResult.GetValue(features)),
                FeatureService = parseResult.GetValue(service),
                FullFeatureNames = parseResult.GetValue(fullNames),
                FilterByCreatedTimestamp = parseResult.GetValue(filterCreated),
            };
            var path = Path.GetFullPath(parseResult.GetValue(output)!);
            var name = parseResult.GetValue(saveAs);
            await using var store = await context.OpenAppliedStoreAsync(cancellationToken);
            var result = await store.GetHistoricalFeaturesAsync(request, cancellationToken);
            context.Error.WriteLine($"Joining {result.Features.Count} features from {result.Query.Views.Count} feature views to {request.Entities} in {store.OfflineEngineName}...");
            var clock = Stopwatch.StartNew();
            var rows = await result.WriteAsync(path, cancellationToken);
            context.Output.WriteLine($"Wrote {rows:N0} rows x {result.Features.Count} features to {path} in {clock.Elapsed.TotalSeconds:0.0}s.");
            if (name is not null)
            {
                var saved = await store.SaveDatasetAsync(name, result, path, rows, cancellationToken);
                context.Output.WriteLine($"Saved as dataset '{saved.Name}' (entity times {saved.StartTime:u} to {saved.EndTime:u}, registry version {saved.RegistryVersion}).");
            }

            return 0;
        });
        return command;
    }

    internal static EntityTable EntityTableFrom(string? file, string? sql) => (file, sql) switch
    {
        ({ } path, null) when File.Exists(path) || path.Contains('*', StringComparison.Ordinal) => EntityTable.FromFile(path),
        ({ } path, null) => throw new GranaryException(ErrorCodes.InvalidArgument, $"--entities: the file '{Path.GetFullPath(path)}' does not exist."),
        (null, { } query) => EntityTable.FromQuery(query),
        _ => throw new GranaryException(ErrorCodes.InvalidArgument, "Give the entity rows with exactly one of --entities FILE and --entities-sql SQL."),
    };

    private static List<string> SplitReferences(string? text)
    {
        var references = new List<string>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            references.Add(part);
        }

        return references;
    }
}

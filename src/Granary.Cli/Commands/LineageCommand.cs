using System.CommandLine;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Lineage;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary lineage export --output FILE | --url URL</c>: the applied project's lineage (sources → views → feature
/// services) as OpenLineage events, written one per line to a file or posted one by one to a consumer such as Marquez
/// (<c>http://localhost:5000/api/v1/lineage</c>) or DataHub.
/// </summary>
internal static class LineageCommand
{
    public const string Name = "lineage";

    /// <summary>How long one post may take before the export stops with a timeout.</summary>
    private static readonly TimeSpan PostTimeout = TimeSpan.FromSeconds(30);

    public static Command Create()
    {
        var output = new Option<string?>("--output") { Description = "Write the events to this file, one JSON event per line.", HelpName = "FILE" };
        var url = new Option<string?>("--url")
        {
            Description = "POST each event to this OpenLineage endpoint (Marquez: http://HOST:5000/api/v1/lineage).",
            HelpName = "URL",
        };
        var export = new Command("export", "Export the applied definitions' lineage as OpenLineage events, for Marquez or DataHub to show the graph.") { output, url };
        CommandRunner.SetAction(export, async (parseResult, context, cancellationToken) =>
        {
            var file = parseResult.GetValue(output);
            var endpoint = parseResult.GetValue(url);
            if ((file is null) == (endpoint is null))
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, "Give one of --output FILE or --url URL.");
            }

            Uri? target = null;
            if (endpoint is not null && (!Uri.TryCreate(endpoint, UriKind.Absolute, out target) || (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps)))
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, $"--url: '{endpoint}' is not an http(s) address, e.g. http://localhost:5000/api/v1/lineage.");
            }

            await using var store = await context.OpenAppliedStoreAsync(cancellationToken);
            var registry = await store.GetRegistryAsync(cancellationToken);
            var events = new OpenLineageExporter(context.TimeProvider).CreateEvents(registry);
            if (file is not null)
            {
                var path = Path.GetFullPath(file);
                await using (var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false)))
                {
                    await OpenLineageExporter.WriteAsync(events, writer, cancellationToken);
                }

                context.Output.WriteLine($"Wrote {events.Count} OpenLineage event{(events.Count == 1 ? "" : "s")} of project '{registry.Project}' to {path}.");
                return 0;
            }

            using var client = new HttpClient { Timeout = PostTimeout };
            var result = await new OpenLineagePoster(client).PostAsync(target!, events, cancellationToken);
            context.Output.WriteLine($"Posted {result.Posted} of {events.Count} OpenLineage event{(events.Count == 1 ? "" : "s")} of project '{registry.Project}' to {target}.");
            if (result.Failures.Count == 0)
            {
                return 0;
            }

            context.Error.WriteLine($"error: {result.Failures.Count} event{(result.Failures.Count == 1 ? " was" : "s were")} refused by {target}:");
            foreach (var failure in result.Failures)
            {
                context.Error.WriteLine($"  {failure}");
            }

            return CommandRunner.Failed;
        });

        return new Command(Name, "Lineage of the applied definitions: export it as OpenLineage events.") { export };
    }
}

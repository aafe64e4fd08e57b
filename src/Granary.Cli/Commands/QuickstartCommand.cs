using System.Buffers;
using System.CommandLine;
using Granary.Cli.Output;
using Granary.Cli.Quickstart;
using Granary.Cli.Templates;
using Granary.Historical;
using Granary.Core.Model;
using Granary.Offline.Files;
using Granary.Offline.Retrieval;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary quickstart [--dir DIR]</c>: the whole product end to end on a demo ad-tech repository: create it,
/// generate its data, validate and apply its definitions, and show what the registry holds.
/// </summary>
internal static class QuickstartCommand
{
    public const string Name = "quickstart";

    private static readonly SearchValues<char> ShellSpecial = SearchValues.Create(" '\"$`\\");

    public static Command Create()
    {
        var directory = new Option<string?>("--dir") { Description = "Where to create the demo repository; a new temporary folder by default.", HelpName = "DIR" };
        var command = new Command(Name, "Create a demo ad-tech feature repository with data, apply it, and show the result.") { directory };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            var output = context.Output;
            var root = parseResult.GetValue(directory)
                ?? Path.Combine(Path.GetTempPath(), $"granary-quickstart-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");

            output.WriteLine("Granary quickstart");
            output.WriteLine();
            output.WriteLine("1. Creating a demo ad-tech feature repository and generating its data...");
            // The demo's events end today, so the online lookups below see fresh and stale values as a model would now.
            var today = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
            var demo = new DemoDataOptions { Anchor = today };
            var created = await RepositoryTemplates.WriteAsync(RepositoryTemplates.Adtech, root, demo, cancellationToken);
            output.WriteLine($"   Repository: {created.Directory}");
            output.WriteLine($"   Definitions: {string.Join(", ", created.Files.Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) && !f.Contains('/', StringComparison.Ordinal)))}");
            output.WriteLine($"   Recipes and environment overlays: {string.Join(", ", created.Files.Where(f => f.Contains('/', StringComparison.Ordinal) && !f.StartsWith("data/", StringComparison.Ordinal)))}");
            if (created.Data is { } data)
            {
                output.WriteLine($"   Data: {data.TotalRows:N0} rows of events and feature snapshots from {data.WindowStart:yyyy-MM-dd} to {data.WindowEnd:yyyy-MM-dd} (generated in {data.Elapsed.TotalSeconds:0.0}s)");
                var table = new TextTable("FILE", "ROWS");
                foreach (var file in data.Files)
                {
                    table.AddRow(file.Name, file.Rows.ToString("N0"));
                }

                WriteIndented(output, table);
            }

            output.WriteLine();
            output.WriteLine("2. Validating the definitions against the data and applying them to the registry...");
            await using var store = new FeatureStoreBuilder(created.Directory).Build();
            var applied = await store.ApplyAsync(cancellationToken);
            using (var plan = new StringWriter())
            {
                PlanPrinter.Print(applied.Plan, plan);
                foreach (var line in plan.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    output.WriteLine("   " + line.TrimEnd('\r'));
                }
            }

            output.WriteLine($"   Registry version {applied.Version} at {store.RegistryLocation}");
            output.WriteLine();
            output.WriteLine("3. What the registry now holds:");
            var contents = await store.GetRegistryAsync(cancellationToken);
            var views = new TextTable("FEATURE VIEW", "ENTITIES", "FEATURES", "TTL", "SOURCE");
            foreach (var view in contents.Definitions.FeatureViews)
            {
                var names = view.Schema.Select(f => f.Name);
                views.AddRow(view.Name, string.Join(",", view.Entities), string.Join(", ", names), Granary.Core.Time.Durations.Format(view.Ttl), view.Source);
            }

            WriteIndented(output, views);
            output.WriteLine();
            var services = new TextTable("FEATURE SERVICE", "FEATURES");
            foreach (var service in contents.Definitions.FeatureServices)
            {
                services.AddRow(service.Name, string.Join(", ", service.Features));
            }

            WriteIndented(output, services);
            output.WriteLine();
            await BuildTrainingSetAsync(store, output, cancellationToken);
            output.WriteLine();
            var (user, staleUser) = await QuickstartOnline.RunAsync(store, output, cancellationToken);
            output.WriteLine();
            var stream = await QuickstartStream.RunAsync(store, TimeProvider.System, output, cancellationToken);
            output.WriteLine();
            await QuickstartServer.RunAsync(created.Directory, user, output, cancellationToken);
            output.WriteLine();
            await QuickstartGovernance.RunAsync(store, created.Directory, output, cancellationToken);
            output.WriteLine();
            await QuickstartQuality.RunAsync(store, demo, output, cancellationToken);
            output.WriteLine();
            await QuickstartQuality.WriteReportAsync(store, demo, output, cancellationToken);
            output.WriteLine();
            await QuickstartEnvironments.BuildRecipeTrainingSetAsync(created.Directory, output, cancellationToken);
            output.WriteLine();
            QuickstartEnvironments.ShowProdConfiguration(created.Directory, output);
            output.WriteLine();
            await QuickstartTransforms.RunAsync(store, created.Directory, user, staleUser, output, cancellationToken);
            output.WriteLine();
            output.WriteLine("Try next:");
            foreach (var line in TryNext(Invocation(), created.Directory, stream.User, demo))
            {
                output.WriteLine("   " + line);
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// How the user ran granary, so that the commands printed run as printed: <c>./granary</c> from a checkout (the
    /// script says so in GRANARY_COMMAND), <c>granary</c> for the installed tool.
    /// </summary>
    internal static string Invocation() =>
        Environment.GetEnvironmentVariable("GRANARY_COMMAND") is { Length: > 0 } command ? command : "granary";

    /// <summary>
    /// The commands to try next on the demo repository, each runnable from where the quickstart ran; with
    /// <paramref name="streamUser"/>, the user the live stream step pushed clicks for, a read of its stream features;
    /// with <paramref name="demo"/>, the demo data's options, its drift check.
    /// </summary>
    internal static IEnumerable<string> TryNext(string granary, string repository, long? streamUser = null, DemoDataOptions? demo = null)
    {
        var repo = $"--repo {Quote(repository)}";
        yield return $"{granary} feature-views list {repo}";
        yield return $"{granary} feature-services describe ctr_model_v1 {repo}";
        yield return $"{granary} plan {repo}       # after editing a .yaml file";
        yield return $"{granary} saved-datasets describe ctr_training {repo}";
        yield return $"{granary} get-online --entity user_id=42,ad_id=7 --feature-service ctr_model_v1 --full-feature-names {repo}";
        yield return $"{granary} get-online --address user_activity:ctr_7d:42 {repo}";
        if (streamUser is { } user)
        {
            yield return $"{granary} get-online --entity user_id={user} --features {string.Join(',', QuickstartStream.Features)} {repo}   # the clicks pushed above";
        }

        yield return $"{granary} features versions {QuickstartGovernance.View} {repo}";
        yield return $"{granary} features lineage {QuickstartGovernance.Feature} --recursive {repo}";
        yield return $"{granary} features impact {QuickstartGovernance.Feature} --format json {repo}";
        if (demo is not null)
        {
            yield return QuickstartQuality.Command(granary, Quote(repository), demo) + " --format json";
        }

        yield return $"{granary} status {repo}     # every view's freshness";
        yield return $"{granary} augment --recipe {QuickstartEnvironments.Recipe} --entities {Quote(Path.Combine(repository, "data", "impressions.parquet"))} --output {Quote(Path.Combine(repository, "data", "training", QuickstartEnvironments.Recipe + ".csv"))} --env {QuickstartEnvironments.DevEnvironment} {repo}";
        yield return $"{granary} config show --env {QuickstartEnvironments.ProdEnvironment} {repo}";
        yield return $"{granary} on-demand-feature-views describe bid_context {repo}";
        yield return $"{granary} experiments report {QuickstartTransforms.Experiment} {repo}";

        yield return $"{granary} serve {repo}      # Feast-compatible HTTP on :6566, gRPC on :6567";
    }

    private static string Quote(string path) =>
        path.AsSpan().IndexOfAny(ShellSpecial) < 0 ? path : "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Step 4: a labelled training set, every impression joined to the features known when it was shown.</summary>
    private static async Task BuildTrainingSetAsync(FeatureStore store, TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine("4. Building a point-in-time-correct training set for ctr_model_v1 from the impressions (label: clicked)...");
        var impressions = Path.Combine(store.RepositoryRoot, "data", "impressions.parquet");
        var path = Path.Combine(store.RepositoryRoot, "data", "training", "ctr_training.parquet");
        var request = new HistoricalFeaturesRequest { Entities = EntityTable.FromFile(impressions), FeatureService = "ctr_model_v1", FullFeatureNames = true };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await store.GetHistoricalFeaturesAsync(request, cancellationToken);
        var rows = await result.WriteAsync(path, cancellationToken);
        var elapsed = clock.Elapsed;
        var saved = await store.SaveDatasetAsync("ctr_training", result, path, rows, cancellationToken);
        await using (var head = await DataFiles.Default.PreviewAsync(path, FileFormat.Parquet, 5, rows / 2, cancellationToken))
        {
            output.WriteLine($"   Shape: {rows:N0} rows x {head.Reader.FieldCount} columns ({result.Features.Count} features) in {elapsed.TotalSeconds:0.0}s, saved as dataset '{saved.Name}'");
            output.WriteLine($"   File: {path}");
            output.WriteLine("   Rows from the middle of the window (a feature is null when no value existed yet at that time, or it was older than the view's ttl):");
            await ReaderPreview.WriteAsync(head.Reader, output, "   ", cancellationToken);
        }
    }

    private static void WriteIndented(TextWriter output, TextTable table)
    {
        using var text = new StringWriter();
        table.Write(text);
        foreach (var line in text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            output.WriteLine("   " + line.TrimEnd('\r'));
        }
    }
}

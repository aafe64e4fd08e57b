using Granary.Cli.Output;
using Granary.Core.Model;
using Granary.Historical;
using Granary.Offline.Files;
using Granary.Offline.Retrieval;
using Granary.Registry.Configuration;

namespace Granary.Cli.Commands;

/// <summary>
/// The quickstart's environment steps: a training set built from the demo's recipe in the <c>dev</c> environment (its
/// own registry, applied from the same definitions), and the <c>prod</c> environment's configuration as
/// <c>granary config show --env prod</c> prints it, secrets masked.
/// </summary>
internal static class QuickstartEnvironments
{
    public const string Recipe = "ctr_experiment";

    public const string DevEnvironment = "dev";

    public const string ProdEnvironment = "prod";

    /// <summary>Step 12: apply in dev, then augment the impressions with the recipe's features.</summary>
    public static async Task<string> BuildRecipeTrainingSetAsync(string repository, TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine($"12. Environments: building a training set from recipes/{Recipe}.yaml in the '{DevEnvironment}' environment (config/{DevEnvironment}.yaml: its own registry and online store)...");
        await using var dev = new FeatureStoreBuilder(repository).UseEnvironment(DevEnvironment).Build();
        var applied = await dev.ApplyAsync(cancellationToken);
        output.WriteLine($"   Applied the same definitions to the {DevEnvironment} registry, version {applied.Version}, at {dev.RegistryLocation}");
        var recipe = dev.LoadRecipe(Recipe);
        var spine = Path.Combine(dev.RepositoryRoot, "data", "impressions.parquet");
        var path = Path.Combine(dev.RepositoryRoot, "data", "training", $"{Recipe}.parquet");
        var result = await dev.AugmentAsync(recipe, EntityTable.FromFile(spine), cancellationToken);
        var rows = await result.WriteAsync(path, cancellationToken);
        await using (var head = await DataFiles.Default.PreviewAsync(path, FileFormat.Parquet, 3, rows / 2, cancellationToken))
        {
            output.WriteLine($"   Shape: {rows:N0} rows x {head.Reader.FieldCount} columns ({result.Features.Count} features named {{feature_namespace}}__{{feature}})");
            output.WriteLine($"   File: {path}");
            await ReaderPreview.WriteAsync(head.Reader, output, "   ", cancellationToken);
        }

        return path;
    }

    /// <summary>Step 13: prod's merged configuration, where each value came from, its passwords shown as <c>***</c>.</summary>
    public static void ShowProdConfiguration(string repository, TextWriter output)
    {
        output.WriteLine($"13. The '{ProdEnvironment}' environment's configuration (granary config show --env {ProdEnvironment}), secrets masked:");
        var config = new FeatureStoreBuilder(repository).UseEnvironment(ProdEnvironment).ReadCheckedConfiguration();
        using var text = new StringWriter();
        ConfigCommand.WriteText(text, ConfigurationReport.Of(config, Environment.GetEnvironmentVariable));
        foreach (var line in text.ToString().TrimEnd().Split('\n'))
        {
            output.WriteLine(line.Length == 0 || line == "\r" ? "" : "   " + line.TrimEnd('\r'));
        }
    }
}

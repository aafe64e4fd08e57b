using Granary.Cli.Output;

namespace Granary.Cli.Commands;

/// <summary>
/// The quickstart's governance step: change a definition (user_activity's ttl, 2d → 3d: an additive change, so a
/// minor version), apply it, and show the view's versions, a feature's lineage and the feature services a change of
/// it would affect, through <c>FeatureStore.Catalog</c> as <c>granary features</c> does.
/// </summary>
internal static class QuickstartGovernance
{
    public const string View = "user_activity";
    public const string Feature = "user_activity:ctr_7d";
    private const string DefinitionFile = "user_features.yaml";

    public static async Task RunAsync(FeatureStore store, string repository, TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine($"9. Governance: changing {View}'s ttl from 2d to 3d in {DefinitionFile} and applying it...");
        var path = Path.Combine(repository, DefinitionFile);
        var yaml = await File.ReadAllTextAsync(path, cancellationToken);
        var at = yaml.IndexOf($"- name: {View}\n", StringComparison.Ordinal);
        var ttl = at < 0 ? -1 : yaml.IndexOf("ttl: 2d", at, StringComparison.Ordinal);
        if (ttl < 0)
        {
            output.WriteLine($"   {DefinitionFile} no longer has {View} with ttl 2d; skipping this step.");
            return;
        }

        await File.WriteAllTextAsync(path, string.Concat(yaml.AsSpan(0, ttl), "ttl: 3d", yaml.AsSpan(ttl + "ttl: 2d".Length)), cancellationToken);
        var applied = await store.ApplyAsync(cancellationToken);
        using (var plan = new StringWriter())
        {
            PlanPrinter.Print(applied.Plan, plan);
            foreach (var line in plan.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                output.WriteLine("   " + line.TrimEnd('\r'));
            }
        }

        output.WriteLine($"   Versions of {View}, newest first:");
        var versions = new TextTable("VERSION", "CREATED BY", "CHANGELOG");
        foreach (var version in await store.Catalog.ListVersionsAsync(View, cancellationToken))
        {
            versions.AddRow(version.Version.ToString(), version.CreatedBy, version.Changelog.ReplaceLineEndings("; "));
        }

        WriteIndented(output, versions);

        var lineage = await store.Catalog.GetLineageAsync(Feature, recursive: true, cancellationToken);
        output.WriteLine($"   Lineage of {Feature}:");
        output.WriteLine($"     upstream:   {string.Join(", ", lineage.Upstream.Select(n => n.ToString()))}");
        output.WriteLine($"     downstream: {string.Join(", ", lineage.Downstream.Select(n => n.ToString()))}");

        var impact = await store.Catalog.GetImpactAsync(Feature, cancellationToken);
        output.WriteLine($"   A change of {Feature} affects the feature services: {(impact.FeatureServices.Count == 0 ? "none" : string.Join(", ", impact.FeatureServices))}");
    }

    private static void WriteIndented(TextWriter output, TextTable table)
    {
        using var text = new StringWriter();
        table.Write(text);
        foreach (var line in text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            output.WriteLine("     " + line.TrimEnd('\r'));
        }
    }
}

using System.CommandLine;
using System.Globalization;
using Granary.Cli.Output;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Governance;
using Granary.Registry.Catalog;
using Granary.Server.Http.Governance;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary features ...</c>: the governed catalog of the repository's registry, as the REST API under
/// <c>/api/v1/features</c> has it: list, describe, versions, lineage, impact, stats, the lifecycle moves
/// (activate, deprecate, archive), rollback and usage recording. Each takes <c>--format json</c> for the API's JSON.
/// </summary>
internal static class FeaturesCommand
{
    public const string Name = "features";

    public static Command Create()
    {
        var features = new Command(Name, "The governed catalog of features and views: metadata, lifecycle, versions, lineage and usage.");
        features.Subcommands.Add(List());
        features.Subcommands.Add(Single("describe", "Show one feature or view of the catalog.", static async (catalog, name, ct) => await catalog.GetAsync(name, ct)));
        features.Subcommands.Add(Versions());
        features.Subcommands.Add(Lineage());
        features.Subcommands.Add(Impact());
        features.Subcommands.Add(Stats());
        features.Subcommands.Add(Single("activate", "Make a draft or deprecated feature active.", static async (catalog, name, ct) => await catalog.ActivateAsync(name, ct)));
        features.Subcommands.Add(Single("deprecate", "Deprecate an active feature (refused while active dependents use it).", static async (catalog, name, ct) => await catalog.DeprecateAsync(name, ct)));
        features.Subcommands.Add(Single("archive", "Archive a deprecated feature: serving it is refused from then on.", static async (catalog, name, ct) => await catalog.ArchiveAsync(name, ct)));
        features.Subcommands.Add(Rollback());
        features.Subcommands.Add(FeaturesUsageCommand.Create());
        return features;
    }

    private static Argument<string> NameArgument() => new("NAME") { Description = "The feature (view:feature, or a bare name) or view." };

    private static Command List()
    {
        var type = new Option<string?>("--type") { Description = "Only this feature_type (raw, derived, behavioral, ...).", HelpName = "T" };
        var status = new Option<string?>("--status") { Description = "Only this status: draft, active, deprecated or archived.", HelpName = "S" };
        var owner = new Option<string?>("--owner") { Description = "Only this owner.", HelpName = "O" };
        var tag = new Option<string[]>("--tag") { Description = "Only entries with this tag (team=ads for a YAML tag map entry); repeat to require several.", HelpName = "T" };
        var kind = new Option<string?>("--kind") { Description = "Only features or only views.", HelpName = "feature|view" };
        kind.AcceptOnlyFromAmong("feature", "view");
        var skip = new Option<int>("--skip") { Description = "Skip this many entries.", DefaultValueFactory = _ => 0 };
        var limit = new Option<int>("--limit") { Description = "Show at most this many entries.", DefaultValueFactory = _ => 50 };
        var format = FeaturesOutput.CreateFormatOption();
        var command = new Command("list", "List the catalog's features and views, by name.") { type, status, owner, tag, kind, skip, limit, format };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            LifecycleStatus? lifecycle = null;
            if (parseResult.GetValue(status) is { } text)
            {
                lifecycle = LifecycleStatuses.TryParse(text, out var parsed)
                    ? parsed
                    : throw new GranaryException(ErrorCodes.InvalidArgument, $"--status '{text}': expected draft, active, deprecated or archived.");
            }

            var query = new CatalogQuery
            {
                FeatureType = parseResult.GetValue(type),
                Status = lifecycle,
                Owner = parseResult.GetValue(owner),
                Tags = parseResult.GetValue(tag) ?? [],
                Kind = parseResult.GetValue(kind) switch { "feature" => CatalogEntryKind.Feature, "view" => CatalogEntryKind.View, _ => null },
                Skip = parseResult.GetValue(skip),
                Limit = parseResult.GetValue(limit),
            };
            await using var store = context.OpenStore();
            var page = await store.Catalog.ListAsync(query, cancellationToken);
            if (FeaturesOutput.IsJson(parseResult, format))
            {
                var graph = await store.Catalog.GetLineageGraphAsync(cancellationToken);
                FeaturesOutput.WriteJson(context.Output, page, (writer, p) => GovernanceJson.WritePage(writer, p, entry => FeatureEndpoints.Downstream(graph, entry)));
                return 0;
            }

            if (page.Entries.Count == 0)
            {
                context.Output.WriteLine(page.Total == 0
                    ? $"No features in the catalog of project '{store.Project}' match. Run 'granary apply' to catalog the definitions' features."
                    : $"No entries on this page; {page.Total} match in all.");
                return 0;
            }

            var table = new TextTable("NAME", "KIND", "STATUS", "VERSION", "TYPE", "DTYPE", "OWNER", "TAGS", "USES");
            foreach (var e in page.Entries)
            {
                table.AddRow(
                    e.Name,
                    e.Kind == CatalogEntryKind.View ? "view" : "feature",
                    e.Status.Key(),
                    e.CurrentVersion.ToString(),
                    e.Metadata.FeatureType ?? "-",
                    e.Metadata.DataType ?? "-",
                    e.Metadata.Owner.Length == 0 ? "-" : e.Metadata.Owner,
                    FeaturesOutput.List(e.Metadata.Tags),
                    e.UsageCount.ToString(CultureInfo.InvariantCulture));
            }

            table.Write(context.Output);
            if (page.Total > page.Entries.Count)
            {
                context.Output.WriteLine($"{page.Entries.Count} of {page.Total}; use --skip and --limit for the others.");
            }

            return 0;
        });
        return command;
    }

    /// <summary>A command on one entry whose answer is the entry (describe and the lifecycle moves).</summary>
    private static Command Single(string name, string description, Func<FeatureCatalog, string, CancellationToken, Task<CatalogEntry>> action)
    {
        var argument = NameArgument();
        var format = FeaturesOutput.CreateFormatOption();
        var command = new Command(name, description) { argument, format };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            await using var store = context.OpenStore();
            var entry = await action(store.Catalog, parseResult.GetValue(argument)!, cancellationToken);
            var graph = await store.Catalog.GetLineageGraphAsync(cancellationToken);
            var downstream = FeatureEndpoints.Downstream(graph, entry);
            if (FeaturesOutput.IsJson(parseResult, format))
            {
                FeaturesOutput.WriteJson(context.Output, entry, (writer, e) => GovernanceJson.WriteEntry(writer, e, downstream));
                return 0;
            }

            if (name != "describe")
            {
                context.Output.WriteLine($"{entry.Name} is {entry.Status.Key()} (version {entry.CurrentVersion}).");
                return 0;
            }

            WriteEntry(context.Output, entry, downstream);
            return 0;
        });
        return command;
    }

    private static void WriteEntry(TextWriter output, CatalogEntry entry, IReadOnlyList<string> downstream)
    {
        var m = entry.Metadata;
        output.WriteLine($"{entry.Name} ({(entry.Kind == CatalogEntryKind.View ? "view" : "feature")}, {entry.Status.Key()}, version {entry.CurrentVersion})");
        output.WriteLine($"  description:  {(m.Description.Length == 0 ? "-" : m.Description)}");
        output.WriteLine($"  owner:        {(m.Owner.Length == 0 ? "-" : m.Owner)}");
        output.WriteLine($"  tags:         {FeaturesOutput.List(m.Tags)}");
        output.WriteLine($"  feature_type: {m.FeatureType ?? "-"}");
        output.WriteLine($"  data_type:    {m.DataType ?? "-"}");
        if (m.Transformation is { } t)
        {
            output.WriteLine($"  transformation: {t.TransformationType}: {t.Code}");
        }

        foreach (var rule in m.ValidationRules)
        {
            output.WriteLine($"  validation:   {rule.RuleType}{(rule.IsBlocking ? " (blocking)" : "")} {string.Join(", ", rule.Parameters.Select(p => $"{p.Key}={p.Value.GetRawText()}"))}");
        }

        output.WriteLine($"  upstream:     {FeaturesOutput.List(m.UpstreamFeatures)}");
        output.WriteLine($"  downstream:   {FeaturesOutput.List(downstream)}");
        output.WriteLine($"  usage:        {entry.UsageCount} (last {FeaturesOutput.Time(entry.LastUsedAt)})");
        output.WriteLine($"  created:      {FeaturesOutput.Time(entry.CreatedAt)}  updated: {FeaturesOutput.Time(entry.UpdatedAt)}{(entry.DeprecatedAt is { } d ? $"  deprecated: {FeaturesOutput.Time(d)}" : "")}");
    }

    private static Command Versions()
    {
        var argument = NameArgument();
        var format = FeaturesOutput.CreateFormatOption();
        var command = new Command("versions", "List a feature's or view's versions, newest first.") { argument, format };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            await using var store = context.OpenStore();
            var versions = await store.Catalog.ListVersionsAsync(parseResult.GetValue(argument)!, cancellationToken);
            if (FeaturesOutput.IsJson(parseResult, format))
            {
                FeaturesOutput.WriteJson(context.Output, versions, GovernanceJson.WriteVersions);
                return 0;
            }

            var table = new TextTable("VERSION", "CREATED", "BY", "CHANGELOG", "NOTES");
            foreach (var v in versions)
            {
                var notes = new List<string>();
                if (!v.Promoted)
                {
                    notes.Add("staged");
                }

                if (v.RestoredFrom is { } from)
                {
                    notes.Add($"restores {from}");
                }

                if (v.IsRolledBack)
                {
                    notes.Add($"rolled back {FeaturesOutput.Time(v.RolledBackAt)}");
                }

                if (v.BreakingChanges.Count > 0)
                {
                    notes.Add($"breaking: {string.Join("; ", v.BreakingChanges)}");
                }

                table.AddRow(v.Version.ToString(), FeaturesOutput.Time(v.CreatedAt), v.CreatedBy, v.Changelog.ReplaceLineEndings("; "), notes.Count == 0 ? "" : string.Join(", ", notes));
            }

            table.Write(context.Output);
            return 0;
        });
        return command;
    }

    private static Command Lineage()
    {
        var argument = NameArgument();
        var recursive = new Option<bool>("--recursive") { Description = "Also everything upstream and downstream, transitively." };
        var format = FeaturesOutput.CreateFormatOption();
        var command = new Command("lineage", "Show what a feature or view depends on and what depends on it.") { argument, recursive, format };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            await using var store = context.OpenStore();
            var lineage = await store.Catalog.GetLineageAsync(parseResult.GetValue(argument)!, parseResult.GetValue(recursive), cancellationToken);
            if (FeaturesOutput.IsJson(parseResult, format))
            {
                FeaturesOutput.WriteJson(context.Output, lineage, GovernanceJson.WriteLineage);
                return 0;
            }

            var o = context.Output;
            o.WriteLine($"{lineage.FeatureName} (version {lineage.CurrentVersion})");
            o.WriteLine($"  upstream:   {FeaturesOutput.List(lineage.Upstream.Select(n => n.ToString()).ToList())}");
            o.WriteLine($"  downstream: {FeaturesOutput.List(lineage.Downstream.Select(n => n.ToString()).ToList())}");
            if (parseResult.GetValue(recursive))
            {
                o.WriteLine($"  all upstream:   {FeaturesOutput.List(lineage.AllUpstream)}");
                o.WriteLine($"  all downstream: {FeaturesOutput.List(lineage.AllDownstream)}");
            }

            o.WriteLine($"  dependents: {lineage.DirectDependentsCount} direct, {lineage.TotalDependentsCount} in all");
            return 0;
        });
        return command;
    }

    private static Command Impact()
    {
        var argument = NameArgument();
        var format = FeaturesOutput.CreateFormatOption();
        var command = new Command("impact", "Show the feature services and models a change of a feature or view would affect.") { argument, format };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            await using var store = context.OpenStore();
            var name = parseResult.GetValue(argument)!;
            var impact = await store.Catalog.GetImpactAsync(name, cancellationToken);
            if (FeaturesOutput.IsJson(parseResult, format))
            {
                FeaturesOutput.WriteJson(context.Output, impact, GovernanceJson.WriteImpact);
                return 0;
            }

            context.Output.WriteLine($"A change of {name} affects:");
            context.Output.WriteLine($"  feature services: {FeaturesOutput.List(impact.FeatureServices)}");
            context.Output.WriteLine($"  models:           {FeaturesOutput.List(impact.Models)}");
            return 0;
        });
        return command;
    }

    private static Command Stats()
    {
        var argument = NameArgument();
        var format = FeaturesOutput.CreateFormatOption();
        var command = new Command("stats", "Show what a feature's recorded usage adds up to.") { argument, format };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            await using var store = context.OpenStore();
            var statistics = await store.Catalog.GetStatisticsAsync(parseResult.GetValue(argument)!, cancellationToken);
            if (FeaturesOutput.IsJson(parseResult, format))
            {
                FeaturesOutput.WriteJson(context.Output, statistics, GovernanceJson.WriteStatistics);
                return 0;
            }

            var o = context.Output;
            o.WriteLine($"{statistics.FeatureName}");
            o.WriteLine($"  total usage:     {statistics.TotalUsage}");
            o.WriteLine($"  unique models:   {statistics.UniqueModels}");
            o.WriteLine($"  environments:    {FeaturesOutput.List(statistics.Environments)}");
            o.WriteLine($"  avg importance:  {Number(statistics.AvgImportance)}");
            o.WriteLine($"  avg correlation: {Number(statistics.AvgCorrelation)}");
            o.WriteLine($"  last used:       {FeaturesOutput.Time(statistics.LastUsedAt)}");
            return 0;
        });
        return command;
    }

    private static Command Rollback()
    {
        var argument = NameArgument();
        var to = new Option<string>("--to") { Description = "The version to restore (MAJOR.MINOR.PATCH).", Required = true, HelpName = "VERSION" };
        var format = FeaturesOutput.CreateFormatOption();
        var command = new Command("rollback", "Restore an earlier version's snapshots as a new version after the newest (history is kept).") { argument, to, format };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            var text = parseResult.GetValue(to)!;
            if (!SemanticVersion.TryParse(text, out var target))
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, $"--to '{text}': expected a version such as 1.0.0.");
            }

            await using var store = context.OpenStore();
            var version = await store.Catalog.RollbackAsync(parseResult.GetValue(argument)!, target, cancellationToken);
            if (FeaturesOutput.IsJson(parseResult, format))
            {
                FeaturesOutput.WriteJson(context.Output, version, GovernanceJson.WriteVersion);
                return 0;
            }

            context.Output.WriteLine($"{version.Name} is now at {version.Version}, restoring {version.RestoredFrom?.ToString() ?? text}: {version.Changelog}");
            return 0;
        });
        return command;
    }

    private static string Number(double? value) => value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "-";
}

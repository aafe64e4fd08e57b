using System.CommandLine;
using System.Text.Json;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry;
using Granary.Core.Time;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary entities|feature-views|on-demand-feature-views|feature-services|data-sources|alerts|experiments list</c> and <c>describe NAME</c>:
/// read what is applied in the registry (not what is on disk; <c>plan</c> shows the difference).
/// </summary>
internal static class RegistryObjectCommands
{
    public static IEnumerable<Command> Create()
    {
        yield return Group("entities", ObjectKind.Entity, ListEntities);
        yield return Group("data-sources", ObjectKind.DataSource, ListSources);
        yield return Group("feature-views", ObjectKind.FeatureView, ListFeatureViews);
        yield return Group("on-demand-feature-views", ObjectKind.OnDemandFeatureView, ListOnDemandFeatureViews);
        yield return Group("feature-services", ObjectKind.FeatureService, ListFeatureServices);
        yield return Group("alerts", ObjectKind.Alert, ListAlerts);
        yield return ExperimentCommands.AddTo(Group("experiments", ObjectKind.Experiment, ExperimentCommands.List));
    }

    private static Command Group(string name, ObjectKind kind, Func<RegistryContents, TagFilter, TextTable> list)
    {
        var plural = kind == ObjectKind.Entity ? "entities" : kind.DisplayName() + "s";
        var group = new Command(name, $"List and describe the {plural} applied to the registry.");

        var tags = TagFilter.CreateOption();
        var listCommand = new Command("list", $"List the {plural} in the registry.") { tags };
        CommandRunner.SetAction(listCommand, async (parseResult, context, cancellationToken) =>
        {
            var filter = TagFilter.Parse(parseResult.GetValue(tags));
            await using var store = context.OpenStore();
            var contents = await store.GetRegistryAsync(cancellationToken);
            var table = list(contents, filter);
            if (table.RowCount == 0)
            {
                context.Output.WriteLine(filter.IsEmpty || contents.Version == 0
                    ? $"No {plural} in project '{store.Project}'. Run 'granary apply' first."
                    : $"No {plural} in project '{store.Project}' with tags {filter}.");
            }
            else
            {
                table.Write(context.Output);
            }

            return 0;
        });

        var nameArgument = new Argument<string>("NAME") { Description = $"The {kind.DisplayName()}'s name." };
        var describe = new Command("describe", $"Show one {kind.DisplayName()} as applied, with its registry versions.") { nameArgument };
        CommandRunner.SetAction(describe, async (parseResult, context, cancellationToken) =>
        {
            await using var store = context.OpenStore();
            var contents = await store.GetRegistryAsync(cancellationToken);
            var objectName = parseResult.GetValue(nameArgument)!;
            var stored = contents.Find(kind, objectName) ?? throw NotFound(kind, objectName, contents);
            WriteDescription(context.Output, stored);
            return 0;
        });

        group.Subcommands.Add(listCommand);
        group.Subcommands.Add(describe);
        return group;
    }

    private static TextTable ListEntities(RegistryContents contents, TagFilter filter)
    {
        var table = new TextTable("NAME", "JOIN KEYS", "TYPE", "DESCRIPTION");
        foreach (var e in contents.Definitions.Entities)
        {
            if (!filter.Matches(e))
            {
                continue;
            }

            table.AddRow(e.Name, string.Join(",", e.JoinKeys), e.ValueType.ToString(), e.Description);
        }

        return table;
    }

    private static TextTable ListSources(RegistryContents contents, TagFilter filter)
    {
        var table = new TextTable("NAME", "TYPE", "LOCATION", "TIMESTAMP");
        foreach (var s in contents.Definitions.Sources)
        {
            if (!filter.Matches(s))
            {
                continue;
            }

            var (location, timestamp) = s switch
            {
                FileSource f => (f.Path, f.TimestampField),
                PostgresSource p => (p.Table ?? "(query)", p.TimestampField),
                PushSource p => ($"-> {p.BatchSourceName}", ""),
                RedisStreamSource r => ($"{r.Stream} -> {r.BatchSourceName}", r.TimestampField ?? ""),
                NatsSource n => ($"{n.Subject} -> {n.BatchSourceName}", n.TimestampField ?? ""),
                _ => ("", ""),
            };
            table.AddRow(s.Name, s.SourceType, location, timestamp);
        }

        return table;
    }

    private static TextTable ListFeatureViews(RegistryContents contents, TagFilter filter)
    {
        var table = new TextTable("NAME", "ENTITIES", "FEATURES", "TTL", "SOURCE", "ONLINE");
        foreach (var v in contents.Definitions.FeatureViews)
        {
            if (!filter.Matches(v))
            {
                continue;
            }

            var keys = new HashSet<string>(contents.Definitions.JoinKeysOf(v), StringComparer.Ordinal);
            var features = 0;
            foreach (var _ in v.FeaturesExcluding(keys))
            {
                features++;
            }

            table.AddRow(v.Name, string.Join(",", v.Entities), features.ToString(), Durations.Format(v.Ttl), v.Source, v.Online ? "yes" : "no");
        }

        return table;
    }

    private static TextTable ListOnDemandFeatureViews(RegistryContents contents, TagFilter filter)
    {
        var table = new TextTable("NAME", "SOURCES", "FEATURES", "REQUEST DATA", "WRITTEN ONLINE");
        foreach (var v in contents.Definitions.OnDemandFeatureViews)
        {
            if (!filter.Matches(v))
            {
                continue;
            }

            var request = new List<string>(v.RequestSchema.Count);
            foreach (var field in v.RequestSchema)
            {
                request.Add(field.Name);
            }

            table.AddRow(v.Name, string.Join(",", v.Sources), v.Features.Count.ToString(), string.Join(",", request), v.WriteToOnlineStore ? "yes" : "no");
        }

        return table;
    }

    private static TextTable ListFeatureServices(RegistryContents contents, TagFilter filter)
    {
        var table = new TextTable("NAME", "FEATURES", "DESCRIPTION");
        foreach (var s in contents.Definitions.FeatureServices)
        {
            if (!filter.Matches(s))
            {
                continue;
            }

            table.AddRow(s.Name, s.Features.Count.ToString(), s.Description);
        }

        return table;
    }

    private static TextTable ListAlerts(RegistryContents contents, TagFilter filter)
    {
        var table = new TextTable("NAME", "VIEWS", "WHEN", "COOLDOWN", "WEBHOOK");
        foreach (var a in contents.Definitions.Alerts)
        {
            if (!filter.Matches(a))
            {
                continue;
            }

            var views = a.Views.Count == 0 ? "*" : string.Join(",", a.Views);
            table.AddRow(a.Name, views, a.Condition.ToString(), Durations.Format(a.Cooldown), Registry.Alerts.WebhookUrl.Redact(a.Webhook));
        }

        return table;
    }

    private static void WriteDescription(TextWriter output, Registry.Storage.StoredObject stored)
    {
        using var spec = JsonDocument.Parse(Registry.Serialization.RegistryJson.ShownSpec(stored));
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", stored.Kind.Key());
            writer.WritePropertyName("spec");
            spec.RootElement.WriteTo(writer);
            writer.WriteStartObject("meta");
            writer.WriteNumber("created_version", stored.CreatedVersion);
            writer.WriteNumber("updated_version", stored.UpdatedVersion);
            writer.WriteString("created_at", stored.CreatedAt.UtcDateTime);
            writer.WriteString("updated_at", stored.UpdatedAt.UtcDateTime);
            writer.WriteString("hash", stored.Hash);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static GranaryException NotFound(ObjectKind kind, string name, RegistryContents contents)
    {
        var names = new List<string>();
        foreach (var d in contents.Definitions.All())
        {
            if (d.Kind == kind)
            {
                names.Add(d.Name);
            }
        }

        var hint = Suggestions.Closest(name, names) is { } s ? $" Did you mean '{s}'?" : names.Count > 0 ? $" It has: {string.Join(", ", names)}." : "";
        return new GranaryException(ErrorCodes.NotFound, $"No {kind.DisplayName()} named '{name}' in project '{contents.Project}'.{hint}");
    }
}

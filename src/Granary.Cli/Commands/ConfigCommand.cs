using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Granary.Registry.Configuration;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary config show [--env E] [--format json]</c>: the merged configuration of an environment, each value with
/// the file and line it came from, and where each store section is set or inherited from; secrets as <c>***</c>.
/// </summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var format = FeaturesOutput.CreateFormatOption();
        format.Description = "text for people, or json: environment, files, values (key, value, file, line) and stores.";
        var show = new Command("show", "Show the merged configuration (granary.yaml, config/base.yaml, config/ENV.yaml), where each value came from; secrets are masked.") { format };
        CommandRunner.SetAction(show, (parseResult, context, _) =>
        {
            // Checked as opening the store checks it, so a mistake fails here too; no store is created or connected.
            var config = context.StoreBuilder().ReadCheckedConfiguration();
            context.WriteWarnings(config.Warnings);
            var report = ConfigurationReport.Of(config, Environment.GetEnvironmentVariable);
            if (FeaturesOutput.IsJson(parseResult, format))
            {
                FeaturesOutput.WriteJson(context.Output, report, WriteJson);
            }
            else
            {
                WriteText(context.Output, report);
            }

            return Task.FromResult(0);
        });
        return new Command("config", "Inspect the repository's configuration.") { show };
    }

    internal static void WriteText(TextWriter output, ConfigurationReport report)
    {
        output.WriteLine($"Environment: {report.Environment ?? "(none)"}; files: {string.Join(", ", report.Files)}");
        output.WriteLine();
        var width = 0;
        foreach (var entry in report.Values)
        {
            width = Math.Max(width, entry.Key.Length + 2 + ValueText(entry).Length);
        }

        foreach (var entry in report.Values)
        {
            var line = $"{entry.Key}: {ValueText(entry)}";
            output.WriteLine($"{line.PadRight(width)}  # {entry.Location}");
        }

        output.WriteLine();
        output.WriteLine("Stores:");
        foreach (var store in report.Stores)
        {
            var origin = store.Location switch
            {
                null => "the default: no file sets it",
                { } at when store.Inherited => $"inherited from {at.File} (line {at.Line.ToString(CultureInfo.InvariantCulture)}): config/{report.Environment}.yaml does not set it",
                { } at => $"set in {at}",
            };
            output.WriteLine($"  {store.Section}: {store.Type}, {origin}");
            foreach (var (key, value) in store.Settings)
            {
                output.WriteLine($"    {key}: {value}");
            }
        }
    }

    private static string ValueText(ConfigurationReport.Entry entry) =>
        entry.Items is { } items ? $"[{string.Join(", ", items)}]" : entry.Value ?? "";

    private static void WriteJson(Utf8JsonWriter json, ConfigurationReport report)
    {
        json.WriteStartObject();
        json.WriteString("environment", report.Environment);
        json.WriteStartArray("files");
        foreach (var file in report.Files)
        {
            json.WriteStringValue(file);
        }

        json.WriteEndArray();
        json.WriteStartArray("values");
        foreach (var entry in report.Values)
        {
            json.WriteStartObject();
            json.WriteString("key", entry.Key);
            if (entry.Items is { } items)
            {
                json.WriteStartArray("value");
                foreach (var item in items)
                {
                    json.WriteStringValue(item);
                }

                json.WriteEndArray();
            }
            else
            {
                json.WriteString("value", entry.Value);
            }

            json.WriteString("file", entry.Location.File);
            json.WriteNumber("line", entry.Location.Line);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("stores");
        foreach (var store in report.Stores)
        {
            json.WriteStartObject();
            json.WriteString("section", store.Section);
            json.WriteString("type", store.Type);
            json.WriteString("file", store.Location?.File);
            if (store.Location is { } at)
            {
                json.WriteNumber("line", at.Line);
            }
            else
            {
                json.WriteNull("line");
            }

            json.WriteBoolean("inherited", store.Inherited);
            json.WriteStartObject("settings");
            foreach (var (key, value) in store.Settings)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}

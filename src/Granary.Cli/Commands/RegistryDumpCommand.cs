using System.Buffers;
using System.CommandLine;
using System.Text;
using System.Text.Json;
using Granary.Core.Model;
using Granary.Registry.Serialization;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary registry-dump</c>: the whole applied registry as one JSON object, each object exactly as the feature
/// server's <c>GET /{kind}/{name}</c> returns it, and each saved dataset as the registry records it.
/// </summary>
internal static class RegistryDumpCommand
{
    private static readonly (ObjectKind Kind, string Property)[] Kinds =
    [
        (ObjectKind.Entity, "entities"),
        (ObjectKind.DataSource, "data_sources"),
        (ObjectKind.FeatureView, "feature_views"),
        (ObjectKind.OnDemandFeatureView, "on_demand_feature_views"),
        (ObjectKind.FeatureService, "feature_services"),
        (ObjectKind.Alert, "alerts"),
        (ObjectKind.Experiment, "experiments"),
    ];

    public static Command Create()
    {
        var command = new Command("registry-dump", "Print the whole registry as one JSON object: every entity, data source, feature view, on-demand feature view, feature service, alert (webhooks redacted), experiment and saved dataset.");
        CommandRunner.SetAction(command, async (_, context, cancellationToken) =>
        {
            await using var store = context.OpenStore();
            var registry = await store.GetRegistryAsync(cancellationToken);
            var datasets = await store.ListDatasetsAsync(cancellationToken);
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartObject();
                writer.WriteString("project", registry.Project);
                writer.WriteNumber("registry_version", registry.Version);
                foreach (var (kind, property) in Kinds)
                {
                    writer.WriteStartArray(property);
                    foreach (var stored in registry.Snapshot.Objects)
                    {
                        if (stored.Kind == kind)
                        {
                            writer.WriteStartObject();
                            RegistryJson.WriteObjectProperties(writer, stored);
                            writer.WriteEndObject();
                        }
                    }

                    writer.WriteEndArray();
                }

                writer.WriteStartArray("saved_datasets");
                foreach (var dataset in datasets)
                {
                    writer.WriteStartObject();
                    RegistryJson.WriteDatasetProperties(writer, dataset);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            context.Output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
            return 0;
        });
        return command;
    }
}

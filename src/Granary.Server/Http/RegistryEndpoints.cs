using System.Text.Json;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry.Serialization;
using Granary.Registry.Storage;
using Granary.Server.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Granary.Server.Http;

/// <summary>
/// Read-only views of the registry: <c>GET /entities</c>, <c>/feature-views</c>, <c>/feature-services</c>,
/// <c>/data-sources</c>, <c>/alerts</c> and <c>GET /{kind}/{name}</c>. Each object is its canonical JSON spec, exactly
/// as the registry stores and hashes it (an alert's webhook redacted), with its versions and timestamps beside it.
/// </summary>
internal static class RegistryEndpoints
{
    public static async Task ListAsync(HttpContext context, EndpointRunner runner, ObjectKind kind, string property)
    {
        var registry = await runner.Store.GetRegistryAsync(context.RequestAborted);
        ServerTelemetry.Registry(registry.Version);
        JsonBody.WriteObject(context.Response, writer =>
        {
            writer.WriteString("project"u8, registry.Project);
            writer.WriteNumber("registry_version"u8, registry.Version);
            writer.WriteStartArray(property);
            foreach (var stored in registry.Snapshot.Objects)
            {
                if (stored.Kind == kind)
                {
                    writer.WriteStartObject();
                    WriteObject(writer, stored);
                    writer.WriteEndObject();
                }
            }

            writer.WriteEndArray();
        });
    }

    public static async Task DescribeAsync(HttpContext context, EndpointRunner runner, ObjectKind kind, string name)
    {
        var registry = await runner.Store.GetRegistryAsync(context.RequestAborted);
        ServerTelemetry.Registry(registry.Version);
        if (registry.Find(kind, name) is not { } stored)
        {
            var names = new List<string>();
            foreach (var o in registry.Snapshot.Objects)
            {
                if (o.Kind == kind)
                {
                    names.Add(o.Name);
                }
            }

            var hint = Suggestions.Closest(name, names) is { } s ? $" Did you mean '{s}'?" : "";
            throw new GranaryException(ErrorCodes.NotFound, $"No {kind.ToString().ToLowerInvariant()} '{name}' in project '{registry.Project}'.{hint}");
        }

        JsonBody.WriteObject(context.Response, writer => WriteObject(writer, stored));
    }

    private static void WriteObject(Utf8JsonWriter writer, StoredObject stored) => RegistryJson.WriteObjectProperties(writer, stored);
}

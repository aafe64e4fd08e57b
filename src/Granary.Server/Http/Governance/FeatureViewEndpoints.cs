using Granary.Contracts.Errors;
using Granary.Contracts.Http.Governance;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Registry.Catalog;
using Granary.Registry.Serialization;
using Granary.Registry.Storage;
using Granary.Server.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Granary.Server.Http.Governance;

/// <summary>
/// <c>GET /api/v1/feature-views</c> and <c>/api/v1/feature-views/{name}</c>: each view as <c>/feature-views</c>
/// answers it (its canonical JSON spec and registry meta) with its catalog versions beside it, newest first.
/// </summary>
internal static class FeatureViewEndpoints
{
    private static readonly IReadOnlyList<CatalogVersion> NoVersions = [];

    public static async Task ListAsync(HttpContext context, EndpointRunner runner)
    {
        var registry = await runner.Store.GetRegistryAsync(context.RequestAborted);
        ServerTelemetry.Registry(registry.Version);
        var views = new List<(StoredObject View, IReadOnlyList<CatalogVersion> Versions)>();
        foreach (var stored in registry.Snapshot.Objects)
        {
            if (stored.Kind == ObjectKind.FeatureView)
            {
                views.Add((stored, await VersionsAsync(runner, stored.Name, context.RequestAborted)));
            }
        }

        JsonBody.WriteObject(context.Response, writer =>
        {
            writer.WriteString("project"u8, registry.Project);
            writer.WriteNumber("registry_version"u8, registry.Version);
            writer.WriteStartArray("feature_views"u8);
            foreach (var (view, versions) in views)
            {
                WriteView(writer, view, versions);
            }

            writer.WriteEndArray();
        });
    }

    public static async Task DescribeAsync(HttpContext context, EndpointRunner runner, string name)
    {
        var registry = await runner.Store.GetRegistryAsync(context.RequestAborted);
        ServerTelemetry.Registry(registry.Version);
        if (registry.Find(ObjectKind.FeatureView, name) is not { } stored)
        {
            var names = new List<string>();
            foreach (var view in registry.Definitions.FeatureViews)
            {
                names.Add(view.Name);
            }

            var hint = Suggestions.Closest(name, names) is { } s ? $" Did you mean '{s}'?" : "";
            throw new GranaryException(ErrorCodes.NotFound, $"No feature view '{name}' in project '{registry.Project}'.{hint}");
        }

        var versions = await VersionsAsync(runner, name, context.RequestAborted);
        JsonBody.Write(context.Response, StatusCodes.Status200OK, (stored, versions), static (writer, state) => WriteView(writer, state.stored, state.versions));
    }

    private static void WriteView(System.Text.Json.Utf8JsonWriter writer, StoredObject view, IReadOnlyList<CatalogVersion> versions)
    {
        writer.WriteStartObject();
        RegistryJson.WriteObjectProperties(writer, view);
        writer.WriteStartArray(FeatureVersionJson.Versions.EncodedName);
        foreach (var version in versions)
        {
            GovernanceJson.WriteVersion(writer, version);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    // A view applied before the catalog existed has no entry until the next apply: it shows no versions, not a 404.
    private static async Task<IReadOnlyList<CatalogVersion>> VersionsAsync(EndpointRunner runner, string view, CancellationToken cancellationToken)
    {
        try
        {
            return await runner.Store.Catalog.ListVersionsAsync(view, cancellationToken);
        }
        catch (GranaryException e) when (e.Code == ErrorCodes.NotFound)
        {
            return NoVersions;
        }
    }
}

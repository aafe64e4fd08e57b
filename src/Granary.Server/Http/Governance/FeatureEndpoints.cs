using Granary.Contracts.Http.Governance;
using Granary.Registry.Catalog;
using Granary.Registry.Lineage;
using Microsoft.AspNetCore.Http;

namespace Granary.Server.Http.Governance;

/// <summary>
/// The governed catalog's REST API under <c>/api/v1/features</c>, with the seed's paths and snake_case fields: create,
/// list, get, update, soft delete, activate/deprecate/archive, versions and rollback, lineage, impact, usage and
/// statistics. Each handler reads its body or query, calls <see cref="Granary.Governance.FeatureCatalog"/>, and writes
/// the answer with <see cref="GovernanceJson"/>; refusals are the catalog's <c>GranaryException</c>s, answered by the
/// <see cref="EndpointRunner"/> as everywhere.
/// </summary>
internal static class FeatureEndpoints
{
    public static async Task CreateAsync(HttpContext context, EndpointRunner runner)
    {
        FeatureCreateBody body;
        using (var request = await runner.ReadBodyAsync(context))
        {
            body = GovernanceRequestJson.ParseCreate(request.Span);
        }

        var entry = await runner.Store.Catalog.CreateAsync(CatalogRequests.Create(body), context.RequestAborted);
        await WriteEntryAsync(context, runner, entry, StatusCodes.Status201Created);
    }

    public static async Task ListAsync(HttpContext context, EndpointRunner runner)
    {
        var query = GovernanceQuery.List(context.Request.Query);
        var page = await runner.Store.Catalog.ListAsync(query, context.RequestAborted);
        var graph = await runner.Store.Catalog.GetLineageGraphAsync(context.RequestAborted);
        JsonBody.Write(context.Response, StatusCodes.Status200OK, (page, graph), static (writer, state) =>
            GovernanceJson.WritePage(writer, state.page, entry => Downstream(state.graph, entry)));
    }

    public static async Task GetAsync(HttpContext context, EndpointRunner runner, string name)
    {
        var entry = await runner.Store.Catalog.GetAsync(name, context.RequestAborted);
        await WriteEntryAsync(context, runner, entry, StatusCodes.Status200OK);
    }

    public static async Task UpdateAsync(HttpContext context, EndpointRunner runner, string name)
    {
        FeatureUpdateBody body;
        using (var request = await runner.ReadBodyAsync(context))
        {
            body = GovernanceRequestJson.ParseUpdate(request.Span);
        }

        var entry = await runner.Store.Catalog.UpdateAsync(name, CatalogRequests.Update(body), context.RequestAborted);
        await WriteEntryAsync(context, runner, entry, StatusCodes.Status200OK);
    }

    public static async Task DeleteAsync(HttpContext context, EndpointRunner runner, string name)
    {
        await runner.Store.Catalog.DeleteAsync(name, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public static async Task ActivateAsync(HttpContext context, EndpointRunner runner, string name) =>
        await WriteEntryAsync(context, runner, await runner.Store.Catalog.ActivateAsync(name, context.RequestAborted), StatusCodes.Status200OK);

    public static async Task DeprecateAsync(HttpContext context, EndpointRunner runner, string name) =>
        await WriteEntryAsync(context, runner, await runner.Store.Catalog.DeprecateAsync(name, context.RequestAborted), StatusCodes.Status200OK);

    public static async Task ArchiveAsync(HttpContext context, EndpointRunner runner, string name) =>
        await WriteEntryAsync(context, runner, await runner.Store.Catalog.ArchiveAsync(name, context.RequestAborted), StatusCodes.Status200OK);

    public static async Task CreateVersionAsync(HttpContext context, EndpointRunner runner, string name)
    {
        FeatureVersionCreateBody body;
        using (var request = await runner.ReadBodyAsync(context))
        {
            body = GovernanceRequestJson.ParseVersion(request.Span);
        }

        var version = await runner.Store.Catalog.CreateVersionAsync(name, CatalogRequests.Version(body), context.RequestAborted);
        JsonBody.Write(context.Response, StatusCodes.Status201Created, version, GovernanceJson.WriteVersion);
    }

    public static async Task ListVersionsAsync(HttpContext context, EndpointRunner runner, string name)
    {
        var versions = await runner.Store.Catalog.ListVersionsAsync(name, context.RequestAborted);
        JsonBody.Write(context.Response, StatusCodes.Status200OK, versions, GovernanceJson.WriteVersions);
    }

    public static async Task RollbackAsync(HttpContext context, EndpointRunner runner, string name)
    {
        var target = GovernanceQuery.TargetVersion(context.Request.Query);
        var version = await runner.Store.Catalog.RollbackAsync(name, target, context.RequestAborted);
        JsonBody.Write(context.Response, StatusCodes.Status200OK, version, GovernanceJson.WriteVersion);
    }

    public static async Task LineageAsync(HttpContext context, EndpointRunner runner, string name)
    {
        var recursive = GovernanceQuery.Recursive(context.Request.Query);
        var lineage = await runner.Store.Catalog.GetLineageAsync(name, recursive, context.RequestAborted);
        JsonBody.Write(context.Response, StatusCodes.Status200OK, lineage, GovernanceJson.WriteLineage);
    }

    public static async Task ImpactAsync(HttpContext context, EndpointRunner runner, string name)
    {
        var impact = await runner.Store.Catalog.GetImpactAsync(name, context.RequestAborted);
        JsonBody.Write(context.Response, StatusCodes.Status200OK, impact, GovernanceJson.WriteImpact);
    }

    public static async Task StatisticsAsync(HttpContext context, EndpointRunner runner, string name)
    {
        var statistics = await runner.Store.Catalog.GetStatisticsAsync(name, context.RequestAborted);
        JsonBody.Write(context.Response, StatusCodes.Status200OK, statistics, GovernanceJson.WriteStatistics);
    }

    public static async Task RecordUsageAsync(HttpContext context, EndpointRunner runner)
    {
        FeatureUsageBody body;
        using (var request = await runner.ReadBodyAsync(context))
        {
            body = GovernanceRequestJson.ParseUsage(request.Span);
        }

        var usage = await runner.Store.Catalog.RecordUsageAsync(CatalogRequests.Usage(body), context.RequestAborted);
        JsonBody.Write(context.Response, StatusCodes.Status201Created, usage, GovernanceJson.WriteUsage);
    }

    private static async Task WriteEntryAsync(HttpContext context, EndpointRunner runner, CatalogEntry entry, int status)
    {
        var graph = await runner.Store.Catalog.GetLineageGraphAsync(context.RequestAborted);
        JsonBody.Write(context.Response, status, (entry, downstream: Downstream(graph, entry)), static (writer, state) =>
            GovernanceJson.WriteEntry(writer, state.entry, state.downstream));
    }

    /// <summary>The entry's direct dependents in the catalog (features and views), as <c>/lineage</c>'s <c>downstream_features</c> has them.</summary>
    internal static IReadOnlyList<string> Downstream(LineageGraph graph, CatalogEntry entry)
    {
        var node = new LineageNode(entry.Kind == CatalogEntryKind.View ? LineageNodeKind.FeatureView : LineageNodeKind.Feature, entry.Name);
        var names = new List<string>();
        foreach (var dependent in graph.DownstreamOf(node))
        {
            if (dependent.Kind is LineageNodeKind.Feature or LineageNodeKind.FeatureView)
            {
                names.Add(dependent.Name);
            }
        }

        return names;
    }
}

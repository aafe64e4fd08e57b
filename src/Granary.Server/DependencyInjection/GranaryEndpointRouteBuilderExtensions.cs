using Granary.Contracts.Http;
using Granary.Core.Model;
using Granary.Server.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

// In the Microsoft.AspNetCore.Builder namespace, as ASP.NET Core's own Map* methods are.
#pragma warning disable IDE0130
namespace Microsoft.AspNetCore.Builder;
#pragma warning restore IDE0130

/// <summary>Maps Granary's feature server endpoints; register its services first with <c>AddGranaryServer</c>.</summary>
public static class GranaryEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps Feast's HTTP API (<c>/get-online-features</c>, <c>/push</c>, <c>/write-to-online-store</c>,
    /// <c>/materialize</c>, <c>/materialize-incremental</c>, <c>/health</c>), the read-only registry endpoints
    /// (<c>/entities</c>, <c>/feature-views</c>, <c>/feature-services</c>, <c>/data-sources</c>, each with <c>/{name}</c>)
    /// and the gRPC service (<c>MapGranaryGrpc</c>; it needs an HTTP/2 endpoint). Metrics and the OpenAPI document are
    /// the host's choice: <c>MapGranaryMetrics</c>, <c>MapGranaryOpenApi</c>. A wrong method on any of these paths is 405 and a POST
    /// not declared <c>application/json</c> is 415, each with <c>{"error", "detail"}</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapGranary(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var runner = endpoints.ServiceProvider.GetRequiredService<EndpointRunner>();
        var api = endpoints.MapGroup("").WithTags("Granary");

        api.MapPost("/get-online-features", (HttpContext context, CancellationToken _) => runner.RunAsync(context, OnlineFeaturesEndpoint.Name, OnlineFeaturesEndpoint.HandleAsync))
            .WithName("GetOnlineFeatures").WithSummary("Latest feature values of entities, in Feast's column-major format.")
            .AcceptsJson(OnlineFeaturesRequestJson.Schema).ProducesJson(StatusCodes.Status200OK, OnlineFeaturesResponseJson.Schema).ProducesErrors();
        api.MapPost("/push", (HttpContext context, CancellationToken _) => runner.RunAsync(context, PushEndpoints.PushName, PushEndpoints.PushAsync))
            .WithName("Push").WithSummary("Push rows to a push source: online, offline or both; all or nothing.")
            .AcceptsJson(PushRequestJson.Schema).ProducesJson(StatusCodes.Status200OK, PushResponseJson.Schema).ProducesErrors();
        api.MapPost("/write-to-online-store", (HttpContext context, CancellationToken _) => runner.RunAsync(context, PushEndpoints.WriteToOnlineName, PushEndpoints.WriteToOnlineAsync))
            .WithName("WriteToOnlineStore").WithSummary("Write rows of one feature view straight into the online store.")
            .AcceptsJson(WriteToOnlineStoreRequestJson.Schema).ProducesJson(StatusCodes.Status200OK, WriteToOnlineStoreResponseJson.Schema).ProducesErrors();
        api.MapPost("/materialize", (HttpContext context, CancellationToken _) => runner.RunAsync(context, MaterializeEndpoints.MaterializeName, MaterializeEndpoints.MaterializeAsync))
            .WithName("Materialize").WithSummary("Load the latest values in [start_ts, end_ts] into the online store.")
            .AcceptsJson(MaterializeRequestJson.MaterializeSchema).ProducesJson(StatusCodes.Status200OK, MaterializeResponseJson.Schema).ProducesErrors();
        api.MapPost("/materialize-incremental", (HttpContext context, CancellationToken _) => runner.RunAsync(context, MaterializeEndpoints.IncrementalName, MaterializeEndpoints.MaterializeIncrementalAsync))
            .WithName("MaterializeIncremental").WithSummary("Continue materialization from each view's watermark to end_ts.")
            .AcceptsJson(MaterializeRequestJson.IncrementalSchema).ProducesJson(StatusCodes.Status200OK, MaterializeResponseJson.Schema).ProducesErrors();
        api.MapGet("/health", (HttpContext context, CancellationToken _) => runner.RunAsync(context, HealthEndpoint.Name, HealthEndpoint.HandleAsync))
            .WithName("Health").WithSummary("200 when the registry and the online store answer, 503 otherwise.")
            .ProducesJson(StatusCodes.Status200OK, HealthResponseJson.Schema).ProducesJson(StatusCodes.Status503ServiceUnavailable, ErrorResponseJson.Schema);

        api.MapRefusals(runner, "/get-online-features", HttpMethods.Post, OnlineFeaturesEndpoint.Name);
        api.MapRefusals(runner, "/push", HttpMethods.Post, PushEndpoints.PushName);
        api.MapRefusals(runner, "/write-to-online-store", HttpMethods.Post, PushEndpoints.WriteToOnlineName);
        api.MapRefusals(runner, "/materialize", HttpMethods.Post, MaterializeEndpoints.MaterializeName);
        api.MapRefusals(runner, "/materialize-incremental", HttpMethods.Post, MaterializeEndpoints.IncrementalName);
        api.MapRefusals(runner, "/health", HttpMethods.Get, HealthEndpoint.Name);

        MapRegistry(api, runner, ObjectKind.Entity, "entities", "entities");
        MapRegistry(api, runner, ObjectKind.FeatureView, "feature-views", "feature_views");
        MapRegistry(api, runner, ObjectKind.FeatureService, "feature-services", "feature_services");
        MapRegistry(api, runner, ObjectKind.DataSource, "data-sources", "data_sources");

        endpoints.MapGranaryGrpc();
        return endpoints;
    }

    // Every refusal is {"error", "detail"}: 400 for what the caller sent, 404 for an unknown name, 408 for a body that
    // stopped arriving, 413 for a body over the limit, 415 for a body not declared JSON, 503 when the registry or online
    // store does not answer.
    private static RouteHandlerBuilder ProducesErrors(this RouteHandlerBuilder builder) => builder
        .ProducesJson(StatusCodes.Status400BadRequest, ErrorResponseJson.Schema)
        .ProducesJson(StatusCodes.Status404NotFound, ErrorResponseJson.Schema)
        .ProducesJson(StatusCodes.Status408RequestTimeout, ErrorResponseJson.Schema)
        .ProducesJson(StatusCodes.Status413PayloadTooLarge, ErrorResponseJson.Schema)
        .ProducesJson(StatusCodes.Status415UnsupportedMediaType, ErrorResponseJson.Schema)
        .ProducesJson(StatusCodes.Status503ServiceUnavailable, ErrorResponseJson.Schema);

    private static void MapRegistry(RouteGroupBuilder api, EndpointRunner runner, ObjectKind kind, string path, string property)
    {
        var list = $"list-{path}";
        var describe = $"describe-{path}";
        api.MapGet($"/{path}", (HttpContext context, CancellationToken _) =>
                runner.RunAsync(context, list, (c, r) => RegistryEndpoints.ListAsync(c, r, kind, property)))
            .WithSummary($"Every {path.Replace('-', ' ')} object in the registry, as canonical JSON.");
        api.MapGet($"/{path}/{{name}}", (HttpContext context, string name, CancellationToken _) =>
                runner.RunAsync(context, describe, (c, r) => RegistryEndpoints.DescribeAsync(c, r, kind, name)))
            .WithSummary($"One {path.Replace('-', ' ')} object by name, as canonical JSON.");
        api.MapRefusals(runner, $"/{path}", HttpMethods.Get, list);
        api.MapRefusals(runner, $"/{path}/{{name}}", HttpMethods.Get, describe);
    }
}

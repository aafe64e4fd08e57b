using Granary.Contracts.Http;
using Granary.Core.Model;
using Granary.Contracts.Http.Governance;
using Granary.Server.Http;
using Granary.Server.Http.Augment;
using Granary.Server.Http.Experiments;
using Granary.Server.Http.Governance;
using Granary.Server.Http.Monitoring;
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
    /// the governed catalog's REST API under <c>/api/v1</c> (<c>/api/v1/features</c> and its versions, lifecycle,
    /// lineage, impact, usage and statistics; read-only <c>/api/v1/entities</c>, <c>/api/v1/data-sources</c>,
    /// <c>/api/v1/feature-views</c> with each view's versions, <c>/api/v1/feature-services</c>), monitoring under
    /// <c>/api/v1/monitoring</c> (freshness, validation, profiles, drift), the augment calls under <c>/api/v1/augment</c> (<c>/batch</c>, <c>/online</c>) and the gRPC service (<c>MapGranaryGrpc</c>; it needs an HTTP/2 endpoint). Metrics and the OpenAPI document are
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
            .AcceptsJson(PushRequestJson.Schema).ProducesJson(StatusCodes.Status200OK, PushResponseJson.Schema).ProducesErrors()
            .ProducesJson(StatusCodes.Status422UnprocessableEntity, ErrorResponseJson.Schema);
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
        MapRegistry(api, runner, ObjectKind.Alert, "alerts", "alerts");
        MapRegistry(api, runner, ObjectKind.OnDemandFeatureView, "on-demand-feature-views", "on_demand_feature_views");
        MapRegistry(api, runner, ObjectKind.Experiment, "experiments", "experiments");
        MapGovernance(endpoints.MapGroup("/api/v1").WithTags("Governance"), runner);
        MonitoringEndpoints.Map(endpoints.MapGroup("/api/v1/monitoring").WithTags("Monitoring"), runner);
        AugmentEndpoints.Map(endpoints.MapGroup("/api/v1/augment").WithTags("Augment"), runner);

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

    // The seed's paths and snake_case bodies; {feature_name} may be URL-encoded (ad_stats%3Actr), which routing decodes.
    private static void MapGovernance(RouteGroupBuilder v1, EndpointRunner runner)
    {
        const string Features = "/features";
        const string Feature = "/features/{feature_name}";
        v1.MapPost(Features, (HttpContext context, CancellationToken _) => runner.RunAsync(context, "features-create", FeatureEndpoints.CreateAsync))
            .WithName("CreateFeature").WithSummary("Register a feature no view defines; it starts as a draft at 1.0.0 (409 already_exists if the name exists).")
            .AcceptsJson(FeatureJson.CreateSchema).ProducesJson(StatusCodes.Status201Created, FeatureJson.Schema).ProducesCatalogErrors();
        v1.MapGet(Features, (HttpContext context, CancellationToken _) => runner.RunAsync(context, "features-list", FeatureEndpoints.ListAsync))
            .WithName("ListFeatures").WithSummary("Catalog entries by name, filtered by feature_type, status, owner, tags=a,b (all of them) and kind; paged by skip and limit.")
            .ProducesJson(StatusCodes.Status200OK, FeatureJson.ListSchema).ProducesCatalogErrors();
        v1.MapPost("/features/usage", (HttpContext context, CancellationToken _) => runner.RunAsync(context, "features-usage", FeatureEndpoints.RecordUsageAsync))
            .WithName("RecordFeatureUsage").WithSummary("Record that a model used a version of a feature.")
            .AcceptsJson(FeatureUsageJson.RequestSchema).ProducesJson(StatusCodes.Status201Created, FeatureUsageJson.Schema).ProducesCatalogErrors();
        v1.MapGet(Feature, (HttpContext context, string feature_name, CancellationToken _) =>
                runner.RunAsync(context, "features-get", (c, r) => FeatureEndpoints.GetAsync(c, r, feature_name)))
            .WithName("GetFeature").WithSummary("One catalog entry by name.")
            .ProducesJson(StatusCodes.Status200OK, FeatureJson.Schema).ProducesCatalogErrors();
        v1.MapPut(Feature, (HttpContext context, string feature_name, CancellationToken _) =>
                runner.RunAsync(context, "features-update", (c, r) => FeatureEndpoints.UpdateAsync(c, r, feature_name)))
            .WithName("UpdateFeature").WithSummary("Change the fields given; the API owns them from then on (apply never clears them).")
            .AcceptsJson(FeatureJson.UpdateSchema).ProducesJson(StatusCodes.Status200OK, FeatureJson.Schema).ProducesCatalogErrors();
        v1.MapDelete(Feature, (HttpContext context, string feature_name, CancellationToken _) =>
                runner.RunAsync(context, "features-delete", (c, r) => FeatureEndpoints.DeleteAsync(c, r, feature_name)))
            .WithName("DeleteFeature").WithSummary("Soft delete: deprecate; 409 conflict naming the active dependents.")
            .Produces(StatusCodes.Status204NoContent).ProducesCatalogErrors();
        MapLifecycle(v1, runner, "activate", "ActivateFeature", "draft or deprecated → active.", FeatureEndpoints.ActivateAsync);
        MapLifecycle(v1, runner, "deprecate", "DeprecateFeature", "active → deprecated; 409 conflict naming the active dependents.", FeatureEndpoints.DeprecateAsync);
        MapLifecycle(v1, runner, "archive", "ArchiveFeature", "deprecated → archived (from deprecated only); 409 conflict otherwise or with active dependents.", FeatureEndpoints.ArchiveAsync);
        v1.MapPost(Feature + "/versions", (HttpContext context, string feature_name, CancellationToken _) =>
                runner.RunAsync(context, "features-create-version", (c, r) => FeatureEndpoints.CreateVersionAsync(c, r, feature_name)))
            .WithName("CreateFeatureVersion").WithSummary("Add a version, made current; 409 already_exists for an existing one, 422 for an older one or a breaking change without a major bump.")
            .AcceptsJson(FeatureVersionJson.CreateSchema).ProducesJson(StatusCodes.Status201Created, FeatureVersionJson.Schema).ProducesCatalogErrors();
        v1.MapGet(Feature + "/versions", (HttpContext context, string feature_name, CancellationToken _) =>
                runner.RunAsync(context, "features-versions", (c, r) => FeatureEndpoints.ListVersionsAsync(c, r, feature_name)))
            .WithName("ListFeatureVersions").WithSummary("Every version of the entry, newest first.")
            .ProducesJson(StatusCodes.Status200OK, FeatureVersionJson.ListSchema).ProducesCatalogErrors();
        v1.MapPost(Feature + "/rollback", (HttpContext context, string feature_name, CancellationToken _) =>
                runner.RunAsync(context, "features-rollback", (c, r) => FeatureEndpoints.RollbackAsync(c, r, feature_name)))
            .WithName("RollbackFeature").WithSummary("?target_version=X: restore that version's snapshots as a new version after the newest; the version that was current is marked rolled back.")
            .ProducesJson(StatusCodes.Status200OK, FeatureVersionJson.Schema).ProducesCatalogErrors();
        v1.MapGet(Feature + "/lineage", (HttpContext context, string feature_name, CancellationToken _) =>
                runner.RunAsync(context, "features-lineage", (c, r) => FeatureEndpoints.LineageAsync(c, r, feature_name)))
            .WithName("GetFeatureLineage").WithSummary("What the entry depends on and what depends on it; ?recursive=true adds the transitive closures.")
            .ProducesJson(StatusCodes.Status200OK, FeatureLineageJson.Schema).ProducesCatalogErrors();
        v1.MapGet(Feature + "/impact", (HttpContext context, string feature_name, CancellationToken _) =>
                runner.RunAsync(context, "features-impact", (c, r) => FeatureEndpoints.ImpactAsync(c, r, feature_name)))
            .WithName("GetFeatureImpact").WithSummary("The feature services and models a change of the entry would affect.")
            .ProducesJson(StatusCodes.Status200OK, FeatureImpactJson.Schema).ProducesCatalogErrors();
        v1.MapGet(Feature + "/statistics", (HttpContext context, string feature_name, CancellationToken _) =>
                runner.RunAsync(context, "features-statistics", (c, r) => FeatureEndpoints.StatisticsAsync(c, r, feature_name)))
            .WithName("GetFeatureStatistics").WithSummary("What the entry's usage records add up to.")
            .ProducesJson(StatusCodes.Status200OK, FeatureStatisticsJson.Schema).ProducesCatalogErrors();

        v1.MapMethodRefusals(runner, Features, "features", HttpMethods.Get, HttpMethods.Post);
        v1.MapMethodRefusals(runner, "/features/usage", "features-usage", HttpMethods.Post);
        v1.MapMethodRefusals(runner, Feature, "features-entry", HttpMethods.Get, HttpMethods.Put, HttpMethods.Delete);
        v1.MapMethodRefusals(runner, Feature + "/versions", "features-versions", HttpMethods.Get, HttpMethods.Post);
        foreach (var action in new[] { "activate", "deprecate", "archive", "rollback" })
        {
            v1.MapMethodRefusals(runner, $"{Feature}/{action}", $"features-{action}", HttpMethods.Post);
        }

        foreach (var view in new[] { "lineage", "impact", "statistics" })
        {
            v1.MapMethodRefusals(runner, $"{Feature}/{view}", $"features-{view}", HttpMethods.Get);
        }

        MapRegistry(v1, runner, ObjectKind.Entity, "entities", "entities");
        MapRegistry(v1, runner, ObjectKind.DataSource, "data-sources", "data_sources");
        MapRegistry(v1, runner, ObjectKind.FeatureService, "feature-services", "feature_services");
        MapRegistry(v1, runner, ObjectKind.Alert, "alerts", "alerts");
        MapRegistry(v1, runner, ObjectKind.OnDemandFeatureView, "on-demand-feature-views", "on_demand_feature_views");
        MapRegistry(v1, runner, ObjectKind.Experiment, "experiments", "experiments");
        ExperimentReportEndpoint.Map(v1, runner);
        v1.MapGet("/feature-views", (HttpContext context, CancellationToken _) => runner.RunAsync(context, "list-feature-views-versions", FeatureViewEndpoints.ListAsync))
            .WithSummary("Every feature view in the registry, as canonical JSON, with its catalog versions, newest first.");
        v1.MapGet("/feature-views/{name}", (HttpContext context, string name, CancellationToken _) =>
                runner.RunAsync(context, "describe-feature-views-versions", (c, r) => FeatureViewEndpoints.DescribeAsync(c, r, name)))
            .WithSummary("One feature view by name, as canonical JSON, with its catalog versions, newest first.");
        v1.MapRefusals(runner, "/feature-views", HttpMethods.Get, "list-feature-views-versions");
        v1.MapRefusals(runner, "/feature-views/{name}", HttpMethods.Get, "describe-feature-views-versions");
    }

    private static void MapLifecycle(RouteGroupBuilder v1, EndpointRunner runner, string action, string name, string summary, Func<HttpContext, EndpointRunner, string, Task> handler) =>
        v1.MapPost($"/features/{{feature_name}}/{action}", (HttpContext context, string feature_name, CancellationToken _) =>
                runner.RunAsync(context, $"features-{action}", (c, r) => handler(c, r, feature_name)))
            .WithName(name).WithSummary(summary)
            .ProducesJson(StatusCodes.Status200OK, FeatureJson.Schema).ProducesCatalogErrors();

    // The catalog's refusals besides the common ones: 409 already_exists or conflict, 422 unprocessable.
    private static RouteHandlerBuilder ProducesCatalogErrors(this RouteHandlerBuilder builder) => builder
        .ProducesErrors()
        .ProducesJson(StatusCodes.Status409Conflict, ErrorResponseJson.Schema)
        .ProducesJson(StatusCodes.Status422UnprocessableEntity, ErrorResponseJson.Schema);

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

using Granary.Server.Diagnostics;
using Granary.Server.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

// In the Microsoft.AspNetCore.Builder namespace, as ASP.NET Core's own Map* methods are.
#pragma warning disable IDE0130
namespace Microsoft.AspNetCore.Builder;
#pragma warning restore IDE0130

/// <summary>
/// Maps the feature server's Prometheus metrics and OpenAPI document. <c>granary serve</c> maps both; an application
/// that hosts the server beside its own endpoints (<c>AddGranaryServer</c>, <c>MapGranary</c>) opts in to each, at the
/// path it chooses and behind whatever it requires (<c>.RequireAuthorization()</c>), or leaves it out.
/// </summary>
public static class GranaryObservabilityEndpointExtensions
{
    /// <summary>
    /// Serves this server's Prometheus series at <paramref name="pattern"/> (<c>/metrics</c>): Granary's own
    /// (<c>granary_server_request_duration_seconds</c>, ...; docs/observability.md) and the process's CPU, memory and
    /// GC statistics. They come from a registry of the server's own, not prometheus-net's process-wide default one,
    /// which an application's own <c>MapMetrics()</c> keeps serving as it did.
    /// </summary>
    public static IEndpointConventionBuilder MapGranaryMetrics(this IEndpointRouteBuilder endpoints, string pattern = "/metrics")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var metrics = endpoints.ServiceProvider.GetRequiredService<ServerMetrics>();
        return endpoints.MapMetrics(pattern, metrics.Registry);
    }

    /// <summary>
    /// Serves the OpenAPI document of Granary's HTTP API at <paramref name="pattern"/> (<c>/openapi/v1.json</c>); any
    /// other method than GET on it is 405 with <c>{"error", "detail"}</c>, as on Granary's other paths.
    /// </summary>
    public static IEndpointConventionBuilder MapGranaryOpenApi(this IEndpointRouteBuilder endpoints, string pattern = "/openapi/{documentName}.json")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var document = endpoints.MapOpenApi(pattern);
        endpoints.MapRefusals(endpoints.ServiceProvider.GetRequiredService<EndpointRunner>(), pattern, HttpMethods.Get, "openapi");
        return document;
    }
}

using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Granary.Server.Http;

/// <summary>
/// Answers, with <c>{"error", "detail"}</c>, the requests routing would otherwise refuse with an empty body: a wrong
/// method on a known path (405, with <c>Allow</c>), a POST whose Content-Type is not JSON (415), and, where the
/// standalone server maps it, a path no endpoint has (404).
/// </summary>
/// <remarks>
/// Each is an endpoint of its own, after the real ones (<see cref="RefusalOrder"/>), rather than a middleware: a
/// request the real endpoint accepts never reaches it, so the hot path carries no extra step.
/// </remarks>
internal static class RefusalEndpoints
{
    /// <summary>After the real endpoints of a path (order 0): chosen only when none of them accepts the request.</summary>
    private const int RefusalOrder = 1;

    /// <summary>
    /// Refuses at <paramref name="pattern"/> what its endpoint does not accept: another method is 405; its own method
    /// reaches here only when routing declined the Content-Type, which is 415.
    /// </summary>
    public static void MapRefusals(this IEndpointRouteBuilder endpoints, EndpointRunner runner, string pattern, string method, string endpoint)
    {
        endpoints.Map(pattern, context => runner.RunAsync(context, endpoint, (c, _) =>
            {
                if (HttpMethods.Equals(c.Request.Method, method))
                {
                    throw RequestBody.NotJson(c.Request.ContentType);
                }

                c.Response.Headers.Allow = method;
                throw new GranaryException(ErrorCodes.MethodNotAllowed, $"{c.Request.Method} is not allowed on {c.Request.Path}; use {method}.");
            }))
            .WithOrder(RefusalOrder)
            .ExcludeFromDescription();
    }

    /// <summary>404 for any path no other endpoint has, as <c>unknown_path</c> (not <c>not_found</c>, which is a name the registry lacks).</summary>
    public static void MapUnknownPath(this IEndpointRouteBuilder endpoints, EndpointRunner runner) =>
        endpoints.MapFallback("{*path}", context => runner.RunAsync(context, "unknown", static (c, _) =>
                throw new GranaryException(
                    ErrorCodes.UnknownPath,
                    $"No endpoint at {c.Request.Path}. The API's paths are /get-online-features, /push, /write-to-online-store, /materialize, /materialize-incremental, /health, the registry's /entities, /feature-views, /feature-services and /data-sources, the governed catalog under /api/v1 (/api/v1/features, ...), monitoring under /api/v1/monitoring (freshness, validation, profiles, drift), the augment calls /api/v1/augment/batch and /api/v1/augment/online, and /metrics.")))
            .ExcludeFromDescription();
}

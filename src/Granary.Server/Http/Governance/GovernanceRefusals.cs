using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Granary.Server.Http.Governance;

/// <summary>
/// The governance paths' 405s, as <see cref="RefusalEndpoints"/> answers them on the other paths but for paths that
/// take several methods (<c>/api/v1/features</c> takes GET and POST): any other method is 405 with <c>Allow</c>
/// listing them, with <c>{"error", "detail"}</c>.
/// </summary>
internal static class GovernanceRefusals
{
    private const int RefusalOrder = 1;

    public static void MapMethodRefusals(this IEndpointRouteBuilder endpoints, EndpointRunner runner, string pattern, string endpoint, params string[] methods)
    {
        var allow = string.Join(", ", methods);
        endpoints.Map(pattern, context => runner.RunAsync(context, endpoint, (c, _) =>
            {
                c.Response.Headers.Allow = allow;
                throw new GranaryException(ErrorCodes.MethodNotAllowed, $"{c.Request.Method} is not allowed on {c.Request.Path}; use {string.Join(" or ", methods)}.");
            }))
            .WithOrder(RefusalOrder)
            .ExcludeFromDescription();
    }
}

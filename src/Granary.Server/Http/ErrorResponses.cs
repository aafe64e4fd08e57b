using Granary.Contracts.Errors;
using Granary.Contracts.Http;
using Microsoft.AspNetCore.Http;

namespace Granary.Server.Http;

/// <summary>
/// Answers a failure with its error body (<see cref="ErrorResponseJson"/>) and the HTTP status
/// <see cref="ErrorCatalog"/> gives its code: a mistake in the request is a 4xx, a store or registry that does not
/// answer 503 (504 when it answers too late), anything unexpected 500.
/// </summary>
internal static class ErrorResponses
{
    public static int StatusOf(string code) => ErrorCatalog.Find(code).HttpStatus;

    public static void Write(HttpContext context, int status, string code, string detail)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            // Part of a success was already sent; the status cannot change, so the connection is cut instead.
            context.Abort();
            return;
        }

        // Clear drops every header; a 405's Allow, set by whoever refused the method, is part of the answer.
        var allow = response.Headers.Allow;
        response.Clear();
        if (status == StatusCodes.Status405MethodNotAllowed)
        {
            response.Headers.Allow = allow;
        }

        JsonBody.Write(response, status, (code, detail), static (writer, error) => ErrorResponseJson.Write(writer, error.code, error.detail));
    }
}

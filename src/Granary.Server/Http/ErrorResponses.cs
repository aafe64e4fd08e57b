using Granary.Errors;
using Microsoft.AspNetCore.Http;

namespace Granary.Server.Http;

/// <summary>
/// Maps stable error codes to HTTP statuses and writes the error body, <c>{"error": "code", "detail": "..."}</c>.
/// Every mistake in a request is a 4xx (400 for what the caller sent, 404 for a name the registry lacks, 413 for a
/// body over the limit); a store or registry that does not answer is 503; anything unexpected is 500.
/// </summary>
internal static class ErrorResponses
{
    public static int StatusOf(string code) => code switch
    {
        ErrorCodes.InvalidArgument or ErrorCodes.InvalidDefinition or ErrorCodes.UnknownReference or ErrorCodes.DuplicateName
            or ServerErrorCodes.InvalidJson => StatusCodes.Status400BadRequest,
        ErrorCodes.NotFound => StatusCodes.Status404NotFound,
        ErrorCodes.RegistryConflict => StatusCodes.Status409Conflict,
        ServerErrorCodes.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCodes.OnlineStoreUnavailable or ErrorCodes.RegistryUnavailable or ErrorCodes.SourceUnavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorCodes.SourceTimeout => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static void Write(HttpContext context, int status, string code, string detail)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            // Part of a success was already sent; the status cannot change, so the connection is cut instead.
            context.Abort();
            return;
        }

        response.Clear();
        JsonBody.Write(response, status, (code, detail), static (writer, error) =>
        {
            writer.WriteStartObject();
            writer.WriteString("error"u8, error.code);
            writer.WriteString("detail"u8, error.detail);
            writer.WriteEndObject();
        });
    }
}

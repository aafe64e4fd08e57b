using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Granary.Errors;
using Microsoft.AspNetCore.Http;

namespace Granary.Server.Http;

/// <summary>
/// Maps stable error codes to HTTP statuses and writes the error body, <c>{"error": "code", "detail": "..."}</c>.
/// Every mistake in a request is a 4xx (400 for what the caller sent, 404 for a name the registry lacks or a path the
/// server lacks, 405 for a wrong method, 408 for a body that stopped arriving, 413 for a body over the limit, 415 for
/// a body not declared JSON); a store or registry that does not answer is 503; anything unexpected is 500.
/// </summary>
/// <remarks>
/// The detail is escaped only where JSON requires it (quotes, backslashes, control characters), not for HTML as the
/// writer's default encoder does: it is read by people, and <c>'</c> should not arrive as <c>\u0027</c>. Every
/// response is <c>application/json</c>, so nothing reads it as HTML.
/// </remarks>
internal static class ErrorResponses
{
    public static int StatusOf(string code) => code switch
    {
        ErrorCodes.InvalidArgument or ErrorCodes.InvalidDefinition or ErrorCodes.UnknownReference or ErrorCodes.DuplicateName
            or ServerErrorCodes.InvalidJson or ServerErrorCodes.MalformedBody => StatusCodes.Status400BadRequest,
        ErrorCodes.NotFound or ServerErrorCodes.UnknownPath => StatusCodes.Status404NotFound,
        ServerErrorCodes.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        ServerErrorCodes.RequestTimeout => StatusCodes.Status408RequestTimeout,
        ErrorCodes.RegistryConflict => StatusCodes.Status409Conflict,
        ServerErrorCodes.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ServerErrorCodes.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
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

        // Clear drops every header; a 405's Allow, set by whoever refused the method, is part of the answer.
        var allow = response.Headers.Allow;
        response.Clear();
        if (status == StatusCodes.Status405MethodNotAllowed)
        {
            response.Headers.Allow = allow;
        }

        var error = (Code: Readable(code), Detail: Readable(detail));
        JsonBody.Write(response, status, error, static (writer, error) =>
        {
            writer.WriteStartObject();
            writer.WriteString("error"u8, error.Code);
            writer.WriteString("detail"u8, error.Detail);
            writer.WriteEndObject();
        });
    }

    // A detail may quote what the caller sent, lone surrogates included, which the encoder refuses: UTF8Encoding's
    // replacement fallback turns them into U+FFFD first.
    private static JsonEncodedText Readable(string text) =>
        JsonEncodedText.Encode(Encoding.UTF8.GetBytes(text), JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
}

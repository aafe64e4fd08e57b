using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Granary.Server.Http;

/// <summary>
/// Writes the error body, <c>{"error": "code", "detail": "..."}</c>, with the HTTP status
/// <see cref="ErrorCatalog"/> gives the code: a mistake in the request is a 4xx, a store or registry that does not
/// answer 503 (504 when it answers too late), anything unexpected 500.
/// </summary>
/// <remarks>
/// The detail is escaped only where JSON requires it (quotes, backslashes, control characters), not for HTML as the
/// writer's default encoder does: it is read by people, and <c>'</c> should not arrive as <c>\u0027</c>. Every
/// response is <c>application/json</c>, so nothing reads it as HTML.
/// </remarks>
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

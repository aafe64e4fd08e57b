using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Granary.Contracts.Errors;

namespace Granary.Contracts.Http;

/// <summary>
/// Every refusal's body, <c>{"error": "code", "detail": "..."}</c>: its definition and its writer. The code is one of
/// <see cref="ErrorCodes"/>, whose <see cref="ErrorCatalog"/> gives the HTTP status it is sent with.
/// </summary>
/// <remarks>
/// The detail is escaped only where JSON requires it (quotes, backslashes, control characters), not for HTML as the
/// writer's default encoder does: it is read by people, and <c>'</c> should not arrive as <c>\u0027</c>. Every
/// response is <c>application/json</c>, so nothing reads it as HTML.
/// </remarks>
internal static class ErrorResponseJson
{
    public static readonly JsonField Error = new(
        "error", JsonFieldKind.String, "The stable error code, e.g. invalid_argument, not_found, online_store_unavailable.", required: true);

    public static readonly JsonField Detail = new(
        "detail", JsonFieldKind.String, "What was wrong and where, for people.", required: true);

    public static JsonBodySchema Schema { get; } = new("Error", "A refusal: a stable code and what was wrong, and where.", [Error, Detail]);

    public static void Write(Utf8JsonWriter writer, string code, string detail)
    {
        writer.WriteStartObject();
        writer.WriteString(Error.EncodedName, Readable(code));
        writer.WriteString(Detail.EncodedName, Readable(detail));
        writer.WriteEndObject();
    }

    // A detail may quote what the caller sent, lone surrogates included, which the encoder refuses: UTF8Encoding's
    // replacement fallback turns them into U+FFFD first.
    private static JsonEncodedText Readable(string text) =>
        JsonEncodedText.Encode(Encoding.UTF8.GetBytes(text), JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
}

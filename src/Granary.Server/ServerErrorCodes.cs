namespace Granary.Server;

/// <summary>
/// Error codes only the server produces, beside the shared ones in <see cref="Errors.ErrorCodes"/>. Like those they
/// never change meaning once shipped; clients branch on them.
/// </summary>
public static class ServerErrorCodes
{
    /// <summary>The request body is not well-formed JSON.</summary>
    public const string InvalidJson = "invalid_json";

    /// <summary>The request body is larger than <see cref="GranaryServerOptions.MaxRequestBodySize"/>.</summary>
    public const string PayloadTooLarge = "payload_too_large";

    /// <summary>The request body's framing is broken (malformed chunked encoding, a body shorter than its Content-Length).</summary>
    public const string MalformedBody = "malformed_body";

    /// <summary>The request body stopped arriving before it was complete.</summary>
    public const string RequestTimeout = "request_timeout";

    /// <summary>A POST body that is not declared <c>Content-Type: application/json</c> (UTF-8).</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";

    /// <summary>The path exists, but not for the request's method.</summary>
    public const string MethodNotAllowed = "method_not_allowed";

    /// <summary>No endpoint has the request's path.</summary>
    public const string UnknownPath = "unknown_path";

    /// <summary>An unexpected failure inside the server; the detail is logged, not returned.</summary>
    public const string Internal = "internal";
}

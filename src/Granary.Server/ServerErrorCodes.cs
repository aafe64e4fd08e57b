using Granary.Contracts.Errors;
using Granary.Core.Errors;

namespace Granary.Server;

/// <summary>
/// The error codes only the server produces, as constants of the server's own: each is the same string as its
/// namesake in <see cref="ErrorCodes"/>, whose <see cref="ErrorCatalog"/> maps it to its HTTP and gRPC status.
/// </summary>
public static class ServerErrorCodes
{
    /// <summary>The request body is not well-formed JSON.</summary>
    public const string InvalidJson = ErrorCodes.InvalidJson;

    /// <summary>The request body is larger than <see cref="GranaryServerOptions.MaxRequestBodySize"/>.</summary>
    public const string PayloadTooLarge = ErrorCodes.PayloadTooLarge;

    /// <summary>The request body's framing is broken (malformed chunked encoding, a body shorter than its Content-Length).</summary>
    public const string MalformedBody = ErrorCodes.MalformedBody;

    /// <summary>The request body stopped arriving before it was complete.</summary>
    public const string RequestTimeout = ErrorCodes.RequestTimeout;

    /// <summary>A POST body that is not declared <c>Content-Type: application/json</c> (UTF-8).</summary>
    public const string UnsupportedMediaType = ErrorCodes.UnsupportedMediaType;

    /// <summary>The path exists, but not for the request's method.</summary>
    public const string MethodNotAllowed = ErrorCodes.MethodNotAllowed;

    /// <summary>No endpoint has the request's path.</summary>
    public const string UnknownPath = ErrorCodes.UnknownPath;

    /// <summary>An unexpected failure inside the server; the detail is logged, not returned.</summary>
    public const string Internal = ErrorCodes.Internal;
}

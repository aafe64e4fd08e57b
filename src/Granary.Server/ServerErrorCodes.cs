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

    /// <summary>An unexpected failure inside the server; the detail is logged, not returned.</summary>
    public const string Internal = "internal";
}

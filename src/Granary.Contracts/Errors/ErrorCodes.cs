namespace Granary.Contracts.Errors;

/// <summary>
/// Stable error codes shared by the CLI, the server and the client. A code never changes meaning once shipped;
/// <see cref="ErrorCatalog"/> maps each to one HTTP status and one gRPC status, and the CLI prints it beside the
/// detail. Some are reserved for capabilities still to come, so that clients can branch on them from the start.
/// </summary>
public static class ErrorCodes
{
    /// <summary>A definition file could not be parsed or contains an invalid value.</summary>
    public const string InvalidDefinition = "invalid_definition";

    /// <summary>A definition refers to an object that does not exist.</summary>
    public const string UnknownReference = "unknown_reference";

    /// <summary>Two objects of one kind share a name.</summary>
    public const string DuplicateName = "duplicate_name";

    /// <summary><c>granary.yaml</c> is missing or invalid.</summary>
    public const string InvalidConfig = "invalid_config";

    /// <summary>The registry changed between reading and applying.</summary>
    public const string RegistryConflict = "registry_conflict";

    /// <summary>The registry could not be reached or is in an unexpected state.</summary>
    public const string RegistryUnavailable = "registry_unavailable";

    /// <summary>A named object is not in the registry.</summary>
    public const string NotFound = "not_found";

    /// <summary>An argument given by the caller is invalid.</summary>
    public const string InvalidArgument = "invalid_argument";

    /// <summary>A data source could not be read.</summary>
    public const string SourceUnavailable = "source_unavailable";

    /// <summary>A data source did not answer within the time its configuration allows.</summary>
    public const string SourceTimeout = "source_timeout";

    /// <summary>The online store could not be reached or is in an unexpected state.</summary>
    public const string OnlineStoreUnavailable = "online_store_unavailable";

    /// <summary>The request body is not well-formed JSON.</summary>
    public const string InvalidJson = "invalid_json";

    /// <summary>The request body's framing is broken (malformed chunked encoding, a chunk size that overflows).</summary>
    public const string MalformedBody = "malformed_body";

    /// <summary>The request body is larger than the server accepts.</summary>
    public const string PayloadTooLarge = "payload_too_large";

    /// <summary>The request body stopped arriving before it was complete.</summary>
    public const string RequestTimeout = "request_timeout";

    /// <summary>A body that is not declared <c>Content-Type: application/json</c> (UTF-8).</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";

    /// <summary>The path exists, but not for the request's method.</summary>
    public const string MethodNotAllowed = "method_not_allowed";

    /// <summary>No endpoint has the request's path.</summary>
    public const string UnknownPath = "unknown_path";

    /// <summary>An unexpected failure; the detail is logged, not returned.</summary>
    public const string Internal = "internal";

    /// <summary>Reserved: an object to be created exists already.</summary>
    public const string AlreadyExists = "already_exists";

    /// <summary>Reserved: a state change the object's current state refuses (deprecating what is already retired, say).</summary>
    public const string Conflict = "conflict";

    /// <summary>Reserved: input that parses but is invalid as a whole (a rule that contradicts itself, say).</summary>
    public const string Unprocessable = "unprocessable";

    /// <summary>Reserved: the caller did not prove who it is (no credentials, or ones that do not verify).</summary>
    public const string Unauthenticated = "unauthenticated";

    /// <summary>Reserved: the caller is known but not allowed to do this.</summary>
    public const string PermissionDenied = "permission_denied";

    /// <summary>Reserved: the caller sent more than its quota allows; retry later.</summary>
    public const string RateLimited = "rate_limited";
}

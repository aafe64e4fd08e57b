namespace Granary.Errors;

/// <summary>
/// Stable error codes shared by the CLI, the server and the client. A code never changes meaning once shipped;
/// the server maps each to an HTTP status, the CLI prints it beside the detail.
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
}

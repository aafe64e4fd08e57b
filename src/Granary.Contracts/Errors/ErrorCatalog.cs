using System.Collections.Frozen;

namespace Granary.Contracts.Errors;

/// <summary>
/// The one table from each stable error code to its HTTP status and its gRPC status, read by the HTTP API, the gRPC
/// services and (through the same codes) the CLI and clients, so a failure is the same failure on every wire.
/// </summary>
/// <remarks>
/// A mistake of the caller is a 4xx with the gRPC status that says the same (INVALID_ARGUMENT, NOT_FOUND, ...); a store
/// that does not answer is 503 / UNAVAILABLE, one that answers too late 504 / DEADLINE_EXCEEDED; anything else,
/// including a code this table does not know, is 500 / INTERNAL. HTTP-only refusals get the gRPC status a gRPC server
/// gives the same mistake (an unknown method is UNIMPLEMENTED, a message over the limit RESOURCE_EXHAUSTED).
/// </remarks>
public static class ErrorCatalog
{
    /// <summary>What a code that is not in the table is answered with.</summary>
    public static readonly ErrorStatus Unknown = new(ErrorCodes.Internal, 500, GrpcStatus.Internal);

    /// <summary>Every code, in the order of <see cref="ErrorCodes"/>.</summary>
    public static IReadOnlyList<ErrorStatus> All { get; } =
    [
        new(ErrorCodes.InvalidDefinition, 400, GrpcStatus.InvalidArgument),
        new(ErrorCodes.UnknownReference, 400, GrpcStatus.InvalidArgument),
        new(ErrorCodes.DuplicateName, 400, GrpcStatus.InvalidArgument),
        new(ErrorCodes.InvalidConfig, 500, GrpcStatus.Internal),              // the server's own granary.yaml
        new(ErrorCodes.RegistryConflict, 409, GrpcStatus.Aborted),            // optimistic concurrency: re-read and retry
        new(ErrorCodes.RegistryUnavailable, 503, GrpcStatus.Unavailable),
        new(ErrorCodes.NotFound, 404, GrpcStatus.NotFound),
        new(ErrorCodes.InvalidArgument, 400, GrpcStatus.InvalidArgument),
        new(ErrorCodes.SourceUnavailable, 503, GrpcStatus.Unavailable),
        new(ErrorCodes.SourceTimeout, 504, GrpcStatus.DeadlineExceeded),
        new(ErrorCodes.OnlineStoreUnavailable, 503, GrpcStatus.Unavailable),
        new(ErrorCodes.InvalidJson, 400, GrpcStatus.InvalidArgument),
        new(ErrorCodes.MalformedBody, 400, GrpcStatus.InvalidArgument),
        new(ErrorCodes.PayloadTooLarge, 413, GrpcStatus.ResourceExhausted),
        new(ErrorCodes.RequestTimeout, 408, GrpcStatus.DeadlineExceeded),
        new(ErrorCodes.UnsupportedMediaType, 415, GrpcStatus.InvalidArgument),
        new(ErrorCodes.MethodNotAllowed, 405, GrpcStatus.Unimplemented),
        new(ErrorCodes.UnknownPath, 404, GrpcStatus.Unimplemented),
        Unknown,
        new(ErrorCodes.AlreadyExists, 409, GrpcStatus.AlreadyExists),
        new(ErrorCodes.Conflict, 409, GrpcStatus.FailedPrecondition),        // a refused state change
        new(ErrorCodes.Unprocessable, 422, GrpcStatus.InvalidArgument),
        new(ErrorCodes.Unauthenticated, 401, GrpcStatus.Unauthenticated),
        new(ErrorCodes.PermissionDenied, 403, GrpcStatus.PermissionDenied),
        new(ErrorCodes.RateLimited, 429, GrpcStatus.ResourceExhausted),
    ];

    private static readonly FrozenDictionary<string, ErrorStatus> s_byCode = All.ToFrozenDictionary(e => e.Code, StringComparer.Ordinal);

    /// <summary>The statuses of <paramref name="code"/>; <see cref="Unknown"/> for a code not in the table.</summary>
    public static ErrorStatus Find(string code) => s_byCode.GetValueOrDefault(code, Unknown);
}

namespace Granary.Contracts.Errors;

/// <summary>
/// gRPC's status codes, with the numbers the gRPC specification fixes (the same as <c>Grpc.Core.StatusCode</c>), so
/// that the error table can name them without this assembly depending on a gRPC library.
/// </summary>
public enum GrpcStatus
{
    OK = 0,
    Cancelled = 1,
    Unknown = 2,
    InvalidArgument = 3,
    DeadlineExceeded = 4,
    NotFound = 5,
    AlreadyExists = 6,
    PermissionDenied = 7,
    ResourceExhausted = 8,
    FailedPrecondition = 9,
    Aborted = 10,
    OutOfRange = 11,
    Unimplemented = 12,
    Internal = 13,
    Unavailable = 14,
    DataLoss = 15,
    Unauthenticated = 16,
}

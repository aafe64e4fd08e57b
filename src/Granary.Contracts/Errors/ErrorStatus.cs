namespace Granary.Contracts.Errors;

/// <summary>How one stable error code is answered: its HTTP status and its gRPC status.</summary>
/// <param name="Code">One of <see cref="ErrorCodes"/>.</param>
/// <param name="HttpStatus">The HTTP status of the <c>{"error", "detail"}</c> answer.</param>
/// <param name="GrpcStatus">The gRPC status; the code itself travels beside it in the <c>granary-error-code</c> trailer.</param>
public readonly record struct ErrorStatus(string Code, int HttpStatus, GrpcStatus GrpcStatus);

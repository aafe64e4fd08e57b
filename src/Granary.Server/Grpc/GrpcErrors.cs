using Granary.Errors;
using Grpc.Core;

namespace Granary.Server.Grpc;

/// <summary>
/// Maps Granary's stable error codes to gRPC statuses, so a gRPC client sees the same failure the HTTP API and the
/// CLI report: the detail in the status message, the code itself in the <c>granary-error-code</c> trailer.
/// </summary>
internal static class GrpcErrors
{
    /// <summary>The trailer that carries Granary's error code beside the gRPC status.</summary>
    public const string CodeTrailer = "granary-error-code";

    public static StatusCode StatusOf(string code) => code switch
    {
        ErrorCodes.InvalidArgument or ErrorCodes.InvalidDefinition or ErrorCodes.UnknownReference => StatusCode.InvalidArgument,
        ErrorCodes.NotFound => StatusCode.NotFound,
        ErrorCodes.RegistryUnavailable or ErrorCodes.SourceUnavailable or ErrorCodes.OnlineStoreUnavailable => StatusCode.Unavailable,
        ErrorCodes.RegistryConflict => StatusCode.Aborted,
        ErrorCodes.SourceTimeout => StatusCode.DeadlineExceeded,
        _ => StatusCode.Internal,
    };

    public static RpcException ToRpcException(GranaryException exception) =>
        new(new Status(StatusOf(exception.Code), exception.Message), new Metadata { { CodeTrailer, exception.Code } });
}

using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Grpc.Core;

namespace Granary.Server.Grpc;

/// <summary>
/// Answers Granary's stable error codes with the gRPC status <see cref="ErrorCatalog"/> gives them (the table the HTTP
/// API reads too), so a gRPC client sees the same failure the HTTP API and the CLI report: the detail in the status message, the code itself in the <c>granary-error-code</c> trailer.
/// </summary>
internal static class GrpcErrors
{
    /// <summary>The trailer that carries Granary's error code beside the gRPC status.</summary>
    public const string CodeTrailer = "granary-error-code";

    public static StatusCode StatusOf(string code) => (StatusCode)ErrorCatalog.Find(code).GrpcStatus;

    public static RpcException ToRpcException(GranaryException exception) =>
        new(new Status(StatusOf(exception.Code), exception.Message), new Metadata { { CodeTrailer, exception.Code } });
}

using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Server.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace Granary.Server.Grpc;

/// <summary>
/// Turns exceptions from the feature store into gRPC statuses (see <see cref="GrpcErrors"/>). Anything unexpected
/// becomes INTERNAL with a fixed message: its text and stack trace go to the server log, never to the client. Each call
/// runs in its span of the <c>Granary.Server</c> source (<see cref="ServerTelemetry.StartGrpc"/>), named after the
/// operation as the HTTP endpoint's is and failed with the code the client is answered with.
/// </summary>
internal sealed partial class GranaryErrorInterceptor(ILogger<GranaryErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        using var activity = ServerTelemetry.StartGrpc(context.Method);
        try
        {
            return await continuation(request, context);
        }
        catch (GranaryException e)
        {
            ServerTelemetry.Failed(activity, e.Code, e);
            var status = GrpcErrors.StatusOf(e.Code);
            if (status is StatusCode.Unavailable or StatusCode.Internal)
            {
                LogStoreError(logger, context.Method, e.Code, e);
            }

            throw GrpcErrors.ToRpcException(e);
        }
        catch (OperationCanceledException e) when (context.CancellationToken.IsCancellationRequested)
        {
            ServerTelemetry.Failed(activity, StatusCode.Cancelled.ToString(), e);
            throw new RpcException(new Status(StatusCode.Cancelled, "The call was cancelled."));
        }
        catch (RpcException e) when (ServerTelemetry.Failed(activity, e.StatusCode.ToString(), e))
        {
            // Never reached: the filter only marks the span of a status a service raised itself.
            throw;
        }
        catch (Exception e) when (e is not RpcException)
        {
            ServerTelemetry.Failed(activity, ErrorCodes.Internal, e);
            LogUnexpected(logger, context.Method, e);
            throw new RpcException(
                new Status(StatusCode.Internal, "The server failed unexpectedly; its log has the details."),
                new Metadata { { GrpcErrors.CodeTrailer, ErrorCodes.Internal } });
        }
    }

    // 2004 and 2005, beside the HTTP side's 2002 and 2003: 3001 and 3002 are the pushed and materialized events.
    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "gRPC call {Method} failed with {Code}")]
    private static partial void LogStoreError(ILogger logger, string method, string code, Exception exception);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "gRPC call {Method} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, string method, Exception exception);
}

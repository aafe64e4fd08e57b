using System.Net.Sockets;
using Granary.Contracts.Errors;
using Grpc.Core;

namespace Granary.Client.Grpc;

/// <summary>
/// A failed gRPC call as a <see cref="GranaryClientException"/>. The server sends its stable error code in the
/// <c>granary-error-code</c> trailer and the detail as the status message; a status without that trailer came from
/// the channel (no connection, the deadline passed), never from Granary's services.
/// </summary>
internal static class GrpcErrors
{
    /// <summary>The trailer the server's <c>GranaryErrorInterceptor</c> puts its error code in.</summary>
    public const string CodeTrailer = "granary-error-code";

    public static GranaryClientException ToException(RpcException exception)
    {
        var code = CodeOf(exception);
        var status = exception.StatusCode;
        if (code is not null)
        {
            // The server's answer: transient exactly when HTTP would answer 503 (UNAVAILABLE). A DEADLINE_EXCEEDED the
            // server sends (source_timeout, 504 over HTTP) is its own verdict and is not retried, as over HTTP.
            return new GranaryClientException(code, Detail(exception, code), httpStatus: null, isTransient: status == StatusCode.Unavailable, mayHaveReachedServer: true, exception);
        }

        // Grpc.Net.Client answers INTERNAL ("Error starting gRPC call") when the connection breaks under a call, e.g. a
        // server shutting down mid-answer: no status came from any server, so it is a connection failure like UNAVAILABLE.
        if (status == StatusCode.Internal && BrokenConnection(exception.Status.DebugException))
        {
            status = StatusCode.Unavailable;
        }

        return status switch
        {
            StatusCode.Unavailable => new GranaryClientException(
                GranaryClientException.UnavailableCode,
                $"The feature server's gRPC endpoint could not be reached: {exception.Status.Detail}",
                httpStatus: null,
                isTransient: true,
                mayHaveReachedServer: !NeverConnected(exception.Status.DebugException),
                exception),
            StatusCode.DeadlineExceeded => new GranaryClientException(
                GranaryClientException.TimeoutCode, "The feature server did not answer within GranaryClientOptions.Timeout.", httpStatus: null, isTransient: true, mayHaveReachedServer: true, exception),
            _ => new GranaryClientException(
                CodeOfStatus(status), $"The gRPC call failed with {status}: {exception.Status.Detail}", httpStatus: null, isTransient: false, mayHaveReachedServer: true, exception),
        };
    }

    private static string? CodeOf(RpcException exception)
    {
        foreach (var entry in exception.Trailers)
        {
            if (string.Equals(entry.Key, CodeTrailer, StringComparison.Ordinal) && !entry.IsBinary && entry.Value.Length > 0)
            {
                return entry.Value;
            }
        }

        return null;
    }

    private static string Detail(RpcException exception, string code) =>
        exception.Status.Detail is { Length: > 0 } detail ? detail : $"The feature server refused the call ({code}).";

    // A status without Granary's trailer (a proxy's, say): the closest stable code, so callers can branch on it.
    private static string CodeOfStatus(StatusCode status) => status switch
    {
        StatusCode.InvalidArgument or StatusCode.OutOfRange => ErrorCodes.InvalidArgument,
        StatusCode.NotFound => ErrorCodes.NotFound,
        StatusCode.AlreadyExists => ErrorCodes.AlreadyExists,
        StatusCode.FailedPrecondition => ErrorCodes.Conflict,
        StatusCode.Unauthenticated => ErrorCodes.Unauthenticated,
        StatusCode.PermissionDenied => ErrorCodes.PermissionDenied,
        StatusCode.ResourceExhausted => ErrorCodes.RateLimited,
        StatusCode.Unimplemented => ErrorCodes.UnknownPath,
        _ => ErrorCodes.Internal,
    };

    /// <summary>Whether the call failed because its connection did (an I/O error or a torn-down response).</summary>
    private static bool BrokenConnection(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is IOException or SocketException or HttpRequestException or ObjectDisposedException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the call failed while connecting, so the request never reached the server.</summary>
    private static bool NeverConnected(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
#if NET
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError })
            {
                return true;
            }
#endif
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable or SocketError.NetworkUnreachable })
            {
                return true;
            }
        }

        return false;
    }
}

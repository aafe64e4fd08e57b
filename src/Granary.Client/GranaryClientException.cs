using Granary.Contracts.Errors;

namespace Granary.Client;

/// <summary>
/// The one exception a <see cref="GranaryClient"/> throws for a failed call. <see cref="Code"/> is the server's stable
/// error code (<see cref="ErrorCodes"/>) when the server answered with one, or the client's own for a failure on the
/// way: <see cref="UnavailableCode"/>, <see cref="TimeoutCode"/>, <see cref="InvalidResponseCode"/>, and
/// <see cref="ErrorCodes.InvalidArgument"/> for a request the client refuses before sending it.
/// </summary>
public sealed class GranaryClientException : Exception
{
    /// <summary>A connection to the server failed, or the server answered 503 without a code.</summary>
    public const string UnavailableCode = "unavailable";

    /// <summary>An attempt took longer than <see cref="GranaryClientOptions.Timeout"/>.</summary>
    public const string TimeoutCode = "timeout";

    /// <summary>The server's answer is not what the client can read.</summary>
    public const string InvalidResponseCode = "invalid_response";

    public GranaryClientException(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    public GranaryClientException()
        : this(ErrorCodes.Internal, "The Granary client's call failed.")
    {
    }

    public GranaryClientException(string message)
        : this(ErrorCodes.Internal, message)
    {
    }

    public GranaryClientException(string message, Exception innerException)
        : this(ErrorCodes.Internal, message, innerException)
    {
    }

    internal GranaryClientException(string code, string message, int? httpStatus, bool isTransient, bool mayHaveReachedServer, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        HttpStatus = httpStatus;
        IsTransient = isTransient;
        MayHaveReachedServer = mayHaveReachedServer;
    }

    /// <summary>The server's stable code (<see cref="ErrorCodes"/>), or one of the client's own (<see cref="UnavailableCode"/>, <see cref="TimeoutCode"/>, <see cref="InvalidResponseCode"/>).</summary>
    public string Code { get; }

    /// <summary>The HTTP status of the server's answer; null when there was none (or over gRPC).</summary>
    public int? HttpStatus { get; }

    /// <summary>Whether the failure may pass by itself (503, connection failure, timeout): what the client retries.</summary>
    public bool IsTransient { get; }

    /// <summary>
    /// False only when the request provably never reached the server (the connection was refused before anything was
    /// sent), so that even a push without an idempotency key may be sent again.
    /// </summary>
    internal bool MayHaveReachedServer { get; } = true;
}

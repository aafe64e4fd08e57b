using Granary.Contracts.Errors;
using Grpc.Net.Client;

namespace Granary.Client.Grpc;

/// <summary>
/// The one <see cref="GrpcChannel"/> of a gRPC <see cref="GranaryClient"/>: one HTTP/2 connection (more when a
/// connection's stream limit is reached) multiplexing every call. Retries are the client's own, not gRPC's, so that both
/// transports follow the same rules.
/// </summary>
internal static class GrpcChannelFactory
{
    public static GrpcChannel Create(GranaryClientOptions options)
    {
        var address = options.GrpcAddress
            ?? throw new GranaryClientException(ErrorCodes.InvalidArgument, "GranaryClientOptions.GrpcAddress is not set: give the server's gRPC address, e.g. http://localhost:6567.", httpStatus: null, isTransient: false, mayHaveReachedServer: false);
#if !NET
        // .NET Core 3.x speaks HTTP/2 without TLS (h2c, the server's gRPC port) only with this switch; later runtimes
        // ignore it. Runtimes without HTTP/2 in HttpClient (Unity's Mono) cannot use this transport at all.
        if (address.Scheme == Uri.UriSchemeHttp)
        {
            AppContext.SetSwitch("System.Net.Http.SocketsHttpHandler.Http2UnencryptedSupport", true);
        }
#endif
        var channelOptions = new GrpcChannelOptions
        {
            // Unlimited on the client: the server's own limit (4 MiB by default) is the one that refuses.
            MaxReceiveMessageSize = null,
            MaxRetryAttempts = 0,
        };
#if NET
        // The channel reconnects a lost connection by itself, and while it waits to, calls fail at once with
        // UNAVAILABLE without reaching the wire. Its default wait grows to two minutes; paced like the client's own
        // retries instead, a server that comes back is found by the next retry rather than minutes later.
        channelOptions.InitialReconnectBackoff = Positive(options.RetryBaseDelay, TimeSpan.FromMilliseconds(100));
        channelOptions.MaxReconnectBackoff = Positive(options.RetryMaxDelay, TimeSpan.FromSeconds(5));
#endif
        if (options.HttpMessageHandler is { } handler)
        {
            channelOptions.HttpHandler = handler;
            channelOptions.DisposeHttpClient = false;
        }
        else
        {
            channelOptions.HttpHandler = CreateHandler();
            channelOptions.DisposeHttpClient = true;
        }

        return GrpcChannel.ForAddress(address, channelOptions);
    }

#if NET
    private static TimeSpan Positive(TimeSpan delay, TimeSpan otherwise) => delay > TimeSpan.Zero ? delay : otherwise;

    private static SocketsHttpHandler CreateHandler() => new()
    {
        // Past 100 calls in flight on one connection (the server's stream limit), open another rather than queue.
        EnableMultipleHttp2Connections = true,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        ConnectTimeout = TimeSpan.FromSeconds(5),

        // Pings keep an idle connection known to be alive, so that a call after a quiet spell does not meet a dead one.
        KeepAlivePingDelay = TimeSpan.FromSeconds(60),
        KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
    };
#else
    private static HttpClientHandler CreateHandler() => new();
#endif
}

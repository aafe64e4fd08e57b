using System.Net.Http.Headers;

namespace Granary.Client.Http;

/// <summary>
/// The one <see cref="HttpClient"/> of a <see cref="GranaryClient"/>: pooled connections reused across calls, renewed
/// every few minutes on net10.0 so that a DNS change is seen. Its <see cref="HttpClient.Timeout"/> is the options'
/// per-attempt timeout: HttpClient then makes one token source and timer per request, where a timeout of the
/// client's own, linked to the caller's token, made HttpClient link a second one.
/// </summary>
internal static class HttpClientFactory
{
    public static HttpClient Create(GranaryClientOptions options)
    {
        var address = options.BaseAddress
            ?? throw new InvalidOperationException("The HTTP transport needs GranaryClientOptions.BaseAddress.");
        var http = options.HttpMessageHandler is { } handler
            ? new HttpClient(handler, disposeHandler: false)
            : new HttpClient(CreateHandler(), disposeHandler: true);
        // Paths are relative ("push"), so a base with a path (http://host/granary) must end in '/' to keep it.
        http.BaseAddress = address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");
        http.Timeout = AttemptTimeout(options.Timeout);
        if (options.ApiKey is { Length: > 0 } key)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return http;
    }

#if NET
    private static SocketsHttpHandler CreateHandler()
    {
        return new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };
    }
#else
    private static HttpClientHandler CreateHandler() => new();
#endif

    // HttpClient takes at most int.MaxValue milliseconds (about 24.8 days); a longer timeout is as good as none.
    private static TimeSpan AttemptTimeout(TimeSpan timeout) =>
        timeout == System.Threading.Timeout.InfiniteTimeSpan || timeout.TotalMilliseconds > int.MaxValue ? System.Threading.Timeout.InfiniteTimeSpan : timeout;
}

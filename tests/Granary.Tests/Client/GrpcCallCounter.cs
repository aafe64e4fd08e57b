using System.Collections.Concurrent;

namespace Granary.Tests.Client;

/// <summary>
/// A handler between the client and the network that counts the calls that reach the wire and keeps their headers
/// (gRPC metadata are HTTP/2 headers), so tests can tell how often the client tried and what it sent.
/// </summary>
internal sealed class GrpcCallCounter() : DelegatingHandler(new SocketsHttpHandler())
{
    private int _grpcCalls;
    private int _httpCalls;

    public int GrpcCalls => Volatile.Read(ref _grpcCalls);

    public int HttpCalls => Volatile.Read(ref _httpCalls);

    public ConcurrentQueue<(string Path, Dictionary<string, string> Headers)> Sent { get; } = new();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        Interlocked.Increment(ref path.StartsWith("/granary.v1.", StringComparison.Ordinal) ? ref _grpcCalls : ref _httpCalls);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = string.Join(",", values);
        }

        Sent.Enqueue((path, headers));
        return base.SendAsync(request, cancellationToken);
    }
}

namespace Granary.Server;

/// <summary>
/// How the feature server runs. <see cref="RepositoryPath"/>, <see cref="RegistryRefreshInterval"/> and
/// <see cref="MaxRequestBodySize"/> apply wherever the server is mapped (<c>AddGranaryServer</c>); the listening
/// addresses and <see cref="ShutdownTimeout"/> are used by the <see cref="GranaryServer"/> host.
/// </summary>
public sealed class GranaryServerOptions
{
    /// <summary>Feast's feature server port, kept so that Feast clients find the server where they expect it.</summary>
    public const int DefaultPort = 6566;

    /// <summary>The gRPC port: the next one up, since gRPC needs HTTP/2 cleartext on an endpoint of its own.</summary>
    public const int DefaultGrpcPort = 6567;

    /// <summary>The feature repository folder (the one holding <c>granary.yaml</c>).</summary>
    public string RepositoryPath { get; set; } = ".";

    /// <summary>
    /// The environment whose <c>config/ENV.yaml</c> overlays <c>granary.yaml</c> (<c>granary serve --env</c>); when null,
    /// the one <c>GRANARY_ENV</c> names, if any.
    /// </summary>
    public string? Environment { get; set; }

    /// <summary>How often the server checks the registry for an apply made elsewhere; applies show up within this.</summary>
    public TimeSpan RegistryRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest request body accepted, in bytes; a larger one gets 413 <c>payload_too_large</c>.</summary>
    public long MaxRequestBodySize { get; set; } = 4 * 1024 * 1024;

    /// <summary>The address to listen on: an IP address, <c>localhost</c>, or <c>0.0.0.0</c> / <c>*</c> for every interface.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The HTTP/1.1 port of the JSON API; 0 picks a free port (see <see cref="GranaryServer.HttpUrl"/>).</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>The HTTP/2 cleartext port for gRPC; 0 picks a free port, null serves no gRPC endpoint.</summary>
    public int? GrpcPort { get; set; } = DefaultGrpcPort;

    /// <summary>How long a stopping server waits for requests in flight to finish before it closes their connections.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether the server also runs the stream consumers (<c>granary serve --with-streams</c>, <c>AddGranaryStreams</c>).</summary>
    public bool WithStreams { get; set; }

    /// <summary>Whether the server also runs the repository's alerts every <c>monitoring.schedule</c> (<c>granary serve --with-monitoring</c>).</summary>
    public bool WithMonitoring { get; set; }

    /// <summary>With <see cref="WithStreams"/>, the stream views whose sources to consume; null or empty for every stream view.</summary>
    public IReadOnlyList<string>? StreamViews { get; set; }
}

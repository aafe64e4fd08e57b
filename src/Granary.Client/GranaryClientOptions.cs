namespace Granary.Client;

/// <summary>
/// How a <see cref="GranaryClient"/> reaches the feature server, how long it waits, how often it retries and what it
/// caches. Read once, when the client is built; later changes do not reach a client already built.
/// </summary>
public sealed class GranaryClientOptions
{
    /// <summary>The server's HTTP address, e.g. <c>http://localhost:6566</c>: required for <see cref="GranaryTransport.Http"/> and for registry reads.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The server's gRPC address, e.g. <c>http://localhost:6567</c>: required for <see cref="GranaryTransport.Grpc"/>.</summary>
    public Uri? GrpcAddress { get; set; }

    /// <summary>The transport of feature reads, pushes, writes and health checks; registry reads always use HTTP.</summary>
    public GranaryTransport Transport { get; set; } = GranaryTransport.Http;

    /// <summary>How long one attempt may take; an attempt past it fails as transient and is retried.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts after the first, for transient failures only (503, connection failure, timeout).</summary>
    public int RetryCount { get; set; } = 3;

    /// <summary>The first retry's largest delay; each retry doubles it (full jitter: the delay is uniform below the bound).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The cap of a retry's delay bound.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Sent as <c>Authorization: Bearer &lt;key&gt;</c> (and gRPC metadata <c>authorization</c>); none when null.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The most entity rows the in-process cache keeps (least recently used go first); 0, the default, is no cache.</summary>
    public int CacheSize { get; set; }

    /// <summary>How long a cached row is served; the cache is on only when this and <see cref="CacheSize"/> are positive.</summary>
    public TimeSpan CacheTtl { get; set; }

    /// <summary>Larger entity lists are split into requests of at most this many entities, their answers joined in request order.</summary>
    public int MaxEntitiesPerRequest { get; set; } = 1000;

    /// <summary>The clock of cache lifetimes and retry delays.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>A handler of the caller's (a proxy, a test's); the client does not dispose it. Null: the client's own pooled handler.</summary>
    public HttpMessageHandler? HttpMessageHandler { get; set; }
}

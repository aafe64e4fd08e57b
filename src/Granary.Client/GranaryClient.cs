using Granary.Client.Batching;
using Granary.Client.Caching;
using Granary.Client.Http;
using Granary.Client.Retries;
using Granary.Contracts.Errors;

namespace Granary.Client;

/// <summary>
/// A client of Granary's feature server: online feature reads, pushes, writes to the online store, health and the
/// registry's read-only views. Thread-safe; build one per server and keep it (it owns one pooled connection set).
/// </summary>
/// <remarks>
/// Transient failures (503, connection failure, an attempt past <see cref="GranaryClientOptions.Timeout"/>) are
/// retried with exponential backoff and full jitter; a 4xx or another 5xx never is. A push or write is retried only
/// with an <see cref="PushRequest.IdempotencyKey"/>, or when its connection was refused before anything was sent.
/// Reads of more than <see cref="GranaryClientOptions.MaxEntitiesPerRequest"/> entities go in batches, one after
/// another, their answers joined in request order; with a cache, repeated keys are answered from it within its TTL.
/// </remarks>
public sealed class GranaryClient : IDisposable
{
    private readonly IClientTransport _transport;
    private readonly HttpClientTransport? _http;
    private readonly RetryRunner _retries;
    private readonly OnlineFeaturesCache? _cache;
    private readonly int _maxEntities;
    private readonly Func<OnlineFeaturesRequest, CancellationToken, Task<OnlineFeatures>> _fetch;

    public GranaryClient(GranaryClientOptions options)
        : this(Validated(options), CreateHttp(options), CreateGrpc(options))
    {
    }

    /// <summary>
    /// The client over a given transport (the gRPC one, or a test's); <paramref name="http"/> serves the registry reads
    /// (and the feature calls too when <paramref name="transport"/> is null).
    /// </summary>
    internal GranaryClient(GranaryClientOptions options, HttpClientTransport? http, IClientTransport? transport)
    {
        _http = http;
        _transport = transport ?? http ?? throw new GranaryClientException(
            ErrorCodes.InvalidArgument, "GranaryClientOptions.BaseAddress is not set: give the server's HTTP address, e.g. http://localhost:6566.");
        _retries = new RetryRunner(options.RetryCount, new Backoff(options.RetryBaseDelay, options.RetryMaxDelay), options.TimeProvider);
        _maxEntities = options.MaxEntitiesPerRequest;
        _cache = options.CacheSize > 0 && options.CacheTtl > TimeSpan.Zero
            ? new OnlineFeaturesCache(options.CacheSize, options.CacheTtl, options.TimeProvider)
            : null;
        _fetch = GetBatchedAsync;
    }

    /// <summary>The latest values of the request's features for its entities, in the order they were given.</summary>
    public Task<OnlineFeatures> GetOnlineFeaturesAsync(OnlineFeaturesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.EntityCount == 0)
        {
            throw new GranaryClientException(
                ErrorCodes.InvalidArgument, "The request names no entity; add one with AddEntity or WithEntityColumn.", httpStatus: null, isTransient: false, mayHaveReachedServer: false);
        }

        request.CheckRequestData();

        // An experiment's values depend on the unit, and on-demand values on the request data, neither of which the
        // cache's keys (the entities) hold.
        return _cache is null || request.Experiment is not null || request.RequestColumns.Count > 0
            ? GetBatchedAsync(request, cancellationToken)
            : _cache.GetAsync(request, _fetch, cancellationToken);
    }

    /// <summary>Pushes rows to a push source; retried after a transient failure only with an idempotency key (or when nothing was sent).</summary>
    public Task<PushResult> PushAsync(PushRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _retries.RunAsync(
            static (state, ct) => state.Transport.PushAsync(state.Request, ct), (Transport: _transport, Request: request), OperationKind.Write, request.IdempotencyKey is not null, cancellationToken);
    }

    /// <summary>Writes rows of one feature view into the online store; retried as <see cref="PushAsync"/> is.</summary>
    public Task<WriteResult> WriteToOnlineStoreAsync(WriteToOnlineStoreRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _retries.RunAsync(
            static (state, ct) => state.Transport.WriteToOnlineStoreAsync(state.Request, ct), (Transport: _transport, Request: request), OperationKind.Write, request.IdempotencyKey is not null, cancellationToken);
    }

    /// <summary>The server's health; an unhealthy server fails the call with its error code (after the retries 503 allows).</summary>
    public Task<HealthResult> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        _retries.RunAsync(static (transport, ct) => transport.CheckHealthAsync(ct), _transport, OperationKind.Read, hasIdempotencyKey: false, cancellationToken);

    /// <summary>Every entity in the registry (<c>GET /entities</c>).</summary>
    public Task<IReadOnlyList<RegistryObject>> ListEntitiesAsync(CancellationToken cancellationToken = default) =>
        ListAsync(RegistryObjectKind.Entity, cancellationToken);

    /// <summary>Every feature view in the registry (<c>GET /feature-views</c>).</summary>
    public Task<IReadOnlyList<RegistryObject>> ListFeatureViewsAsync(CancellationToken cancellationToken = default) =>
        ListAsync(RegistryObjectKind.FeatureView, cancellationToken);

    /// <summary>Every feature service in the registry (<c>GET /feature-services</c>).</summary>
    public Task<IReadOnlyList<RegistryObject>> ListFeatureServicesAsync(CancellationToken cancellationToken = default) =>
        ListAsync(RegistryObjectKind.FeatureService, cancellationToken);

    /// <summary>Every data source in the registry (<c>GET /data-sources</c>).</summary>
    public Task<IReadOnlyList<RegistryObject>> ListDataSourcesAsync(CancellationToken cancellationToken = default) =>
        ListAsync(RegistryObjectKind.DataSource, cancellationToken);

    /// <summary>Every alert in the registry (<c>GET /alerts</c>), webhooks redacted.</summary>
    public Task<IReadOnlyList<RegistryObject>> ListAlertsAsync(CancellationToken cancellationToken = default) =>
        ListAsync(RegistryObjectKind.Alert, cancellationToken);

    /// <summary>One alert (<c>GET /alerts/{name}</c>), its webhook redacted; <c>not_found</c> when there is none.</summary>
    public Task<RegistryObject> GetAlertAsync(string name, CancellationToken cancellationToken = default) =>
        DescribeAsync(RegistryObjectKind.Alert, name, cancellationToken);

    /// <summary>One entity (<c>GET /entities/{name}</c>); <c>not_found</c> when there is none.</summary>
    public Task<RegistryObject> GetEntityAsync(string name, CancellationToken cancellationToken = default) =>
        DescribeAsync(RegistryObjectKind.Entity, name, cancellationToken);

    /// <summary>One feature view (<c>GET /feature-views/{name}</c>); <c>not_found</c> when there is none.</summary>
    public Task<RegistryObject> GetFeatureViewAsync(string name, CancellationToken cancellationToken = default) =>
        DescribeAsync(RegistryObjectKind.FeatureView, name, cancellationToken);

    /// <summary>One feature service (<c>GET /feature-services/{name}</c>); <c>not_found</c> when there is none.</summary>
    public Task<RegistryObject> GetFeatureServiceAsync(string name, CancellationToken cancellationToken = default) =>
        DescribeAsync(RegistryObjectKind.FeatureService, name, cancellationToken);

    /// <summary>One data source (<c>GET /data-sources/{name}</c>); <c>not_found</c> when there is none.</summary>
    public Task<RegistryObject> GetDataSourceAsync(string name, CancellationToken cancellationToken = default) =>
        DescribeAsync(RegistryObjectKind.DataSource, name, cancellationToken);

    public void Dispose()
    {
        _transport.Dispose();
        if (!ReferenceEquals(_http, _transport))
        {
            _http?.Dispose();
        }
    }

    // Not async itself: a read within one batch (the usual case) goes straight to the retrying attempt.
    private Task<OnlineFeatures> GetBatchedAsync(OnlineFeaturesRequest request, CancellationToken cancellationToken) =>
        request.EntityCount <= _maxEntities ? ReadBatchAsync(request, cancellationToken) : GetInBatchesAsync(request, cancellationToken);

    private async Task<OnlineFeatures> GetInBatchesAsync(OnlineFeaturesRequest request, CancellationToken cancellationToken)
    {
        // One batch after another: a large read should not open a burst of connections against the server.
        var count = request.EntityCount;
        var parts = new List<OnlineFeatures>((count + _maxEntities - 1) / _maxEntities);
        for (var start = 0; start < count; start += _maxEntities)
        {
            parts.Add(await ReadBatchAsync(request.Slice(start, Math.Min(_maxEntities, count - start)), cancellationToken).ConfigureAwait(false));
        }

        return OnlineFeaturesJoin.Join(parts);
    }

    private Task<OnlineFeatures> ReadBatchAsync(OnlineFeaturesRequest batch, CancellationToken cancellationToken) =>
        _retries.RunAsync(
            static (state, ct) => state.Transport.GetOnlineFeaturesAsync(state.Batch, ct), (Transport: _transport, Batch: batch), OperationKind.Read, hasIdempotencyKey: false, cancellationToken);

    private Task<IReadOnlyList<RegistryObject>> ListAsync(RegistryObjectKind kind, CancellationToken cancellationToken)
    {
        var http = RegistryHttp();
        return _retries.RunAsync(
            static (state, ct) => state.Http.GetAsync(
                RegistryPaths.Path(state.Kind), state.Kind, static (body, kind) => RegistryResponseReader.ReadList(body, kind, RegistryPaths.Property(kind)), ct),
            (Http: http, Kind: kind),
            OperationKind.Read,
            hasIdempotencyKey: false,
            cancellationToken);
    }

    private Task<RegistryObject> DescribeAsync(RegistryObjectKind kind, string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var http = RegistryHttp();
        return _retries.RunAsync(
            static (state, ct) => state.Http.GetAsync(
                RegistryPaths.Path(state.Kind) + "/" + Uri.EscapeDataString(state.Name), state.Kind, static (body, kind) => RegistryResponseReader.ReadOne(body, kind), ct),
            (Http: http, Kind: kind, Name: name),
            OperationKind.Read,
            hasIdempotencyKey: false,
            cancellationToken);
    }

    private HttpClientTransport RegistryHttp() => _http ?? throw new GranaryClientException(
        ErrorCodes.InvalidArgument, "Registry reads go over HTTP: set GranaryClientOptions.BaseAddress to the server's HTTP address.", httpStatus: null, isTransient: false, mayHaveReachedServer: false);

    private static GranaryClientOptions Validated(GranaryClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        GranaryClientOptionsValidation.Validate(options);
        return options;
    }

    private static HttpClientTransport? CreateHttp(GranaryClientOptions options) =>
        options.BaseAddress is null ? null : new HttpClientTransport(options);

    private static Grpc.GrpcClientTransport? CreateGrpc(GranaryClientOptions options) =>
        options.Transport == GranaryTransport.Grpc ? new Grpc.GrpcClientTransport(options) : null;
}

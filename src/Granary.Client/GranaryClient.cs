using Granary.Client.Http;

namespace Granary.Client;

/// <summary>
/// A client of Granary's feature server: online feature reads, pushes, writes to the online store, health and the
/// registry's read-only views. Thread-safe; build one per server and keep it (it owns one pooled HTTP connection set).
/// </summary>
public sealed class GranaryClient : IDisposable
{
    private readonly GranaryClientOptions _options;
    private readonly IClientTransport _transport;

    public GranaryClient(GranaryClientOptions options)
        : this(options, CreateTransport(options))
    {
    }

    internal GranaryClient(GranaryClientOptions options, IClientTransport transport)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _transport = transport;
    }

    /// <summary>The latest values of the request's features for its entities, in the order they were given.</summary>
    public Task<OnlineFeatures> GetOnlineFeaturesAsync(OnlineFeaturesRequest request, CancellationToken cancellationToken = default) =>
        _transport.GetOnlineFeaturesAsync(request, cancellationToken);

    /// <summary>Pushes rows to a push source.</summary>
    public Task<PushResult> PushAsync(PushRequest request, CancellationToken cancellationToken = default) =>
        _transport.PushAsync(request, cancellationToken);

    /// <summary>Writes rows of one feature view into the online store.</summary>
    public Task<WriteResult> WriteToOnlineStoreAsync(WriteToOnlineStoreRequest request, CancellationToken cancellationToken = default) =>
        _transport.WriteToOnlineStoreAsync(request, cancellationToken);

    /// <summary>The server's health; an unhealthy server fails the call with its error code.</summary>
    public Task<HealthResult> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        _transport.CheckHealthAsync(cancellationToken);

    /// <summary>Every entity in the registry (<c>GET /entities</c>).</summary>
    public Task<IReadOnlyList<RegistryObject>> ListEntitiesAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Every feature view in the registry (<c>GET /feature-views</c>).</summary>
    public Task<IReadOnlyList<RegistryObject>> ListFeatureViewsAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Every feature service in the registry (<c>GET /feature-services</c>).</summary>
    public Task<IReadOnlyList<RegistryObject>> ListFeatureServicesAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Every data source in the registry (<c>GET /data-sources</c>).</summary>
    public Task<IReadOnlyList<RegistryObject>> ListDataSourcesAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>One entity (<c>GET /entities/{name}</c>); <c>not_found</c> when there is none.</summary>
    public Task<RegistryObject> GetEntityAsync(string name, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>One feature view (<c>GET /feature-views/{name}</c>); <c>not_found</c> when there is none.</summary>
    public Task<RegistryObject> GetFeatureViewAsync(string name, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>One feature service (<c>GET /feature-services/{name}</c>); <c>not_found</c> when there is none.</summary>
    public Task<RegistryObject> GetFeatureServiceAsync(string name, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>One data source (<c>GET /data-sources/{name}</c>); <c>not_found</c> when there is none.</summary>
    public Task<RegistryObject> GetDataSourceAsync(string name, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    public void Dispose() => _transport.Dispose();

    private static IClientTransport CreateTransport(GranaryClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IClientTransport transport = options.Transport switch
        {
            GranaryTransport.Http => new HttpClientTransport(options),
            _ => new Grpc.GrpcClientTransport(options),
        };
        return transport;
    }
}

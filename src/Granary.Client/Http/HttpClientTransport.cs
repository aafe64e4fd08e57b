namespace Granary.Client.Http;

/// <summary>Feast's HTTP API over one pooled <see cref="HttpClient"/>.</summary>
internal sealed class HttpClientTransport : IClientTransport
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    public HttpClientTransport(GranaryClientOptions options)
        : this(HttpClientFactory.Create(options), ownsHttp: true)
    {
    }

    internal HttpClientTransport(HttpClient http, bool ownsHttp)
    {
        _http = http;
        _ownsHttp = ownsHttp;
    }

    public Task<OnlineFeatures> GetOnlineFeaturesAsync(OnlineFeaturesRequest batch, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<PushResult> PushAsync(PushRequest request, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<WriteResult> WriteToOnlineStoreAsync(WriteToOnlineStoreRequest request, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<HealthResult> CheckHealthAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using Granary.Server;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Server.Http.Governance;

/// <summary>
/// The sample repository (plus a push view and a service over it), applied and served by a real
/// <see cref="GranaryServer"/> over a registry of one kind, for the governance API's tests. Started once per test
/// class; each test registers features of its own names so tests sharing the server never meet.
/// </summary>
public abstract class CatalogServer : IAsyncLifetime
{
    private GranaryServer? _server;

    public TempRepository Repo { get; } = SampleRepository.Create().Write("push.yaml", ServedRepository.PushViews);

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The server's clock; it moves a millisecond each time it is read, so every write has a time of its own.</summary>
    public FakeTimeProvider Clock { get; } = new(ServedRepository.Now) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };

    /// <summary>The <c>registry:</c> value for granary.yaml.</summary>
    protected abstract Task<string> RegistryYamlAsync();

    public virtual async Task InitializeAsync()
    {
        Repo.Write("granary.yaml", $"project: shop\nregistry: {await RegistryYamlAsync()}\n");
        await using (var store = FeatureStore.Open(Repo.Root))
        {
            await store.ApplyAsync();
        }

        _server = await ServedRepository.StartAsync(Repo.Root, Clock);
        Client = new HttpClient { BaseAddress = _server.HttpUrl, Timeout = TimeSpan.FromSeconds(60) };
    }

    public virtual async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Repo.Dispose();
    }

    public Task<(HttpResponseMessage Response, JsonElement Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(string path, string? json = null) => SendAsync(HttpMethod.Post, path, json);

    public Task<(HttpResponseMessage Response, JsonElement Body)> PutAsync(string path, string json) => SendAsync(HttpMethod.Put, path, json);

    public Task<(HttpResponseMessage Response, JsonElement Body)> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);

    public async Task<(HttpResponseMessage Response, JsonElement Body)> SendAsync(HttpMethod method, string path, string? json = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, new Uri(path.TrimStart('/'), UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, contentType);
        }

        var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 || response.Content.Headers.ContentType?.MediaType != "application/json"
            ? default
            : JsonDocument.Parse(text).RootElement.Clone();
        return (response, body);
    }

    /// <summary>Registers a feature through the API and checks it was created.</summary>
    public async Task<JsonElement> CreateAsync(string json)
    {
        var (response, body) = await PostAsync("/api/v1/features", json);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {body}");
        return body;
    }
}

/// <summary>Over an embedded SQLite registry.</summary>
public sealed class SqliteCatalogServer : CatalogServer
{
    protected override Task<string> RegistryYamlAsync() => Task.FromResult("data/registry.db");
}

/// <summary>Over a PostgreSQL registry on a fresh database of the shared test server.</summary>
public sealed class PostgresCatalogServer(PostgresServer postgres) : CatalogServer
{
    private readonly string _variable = "GRANARY_TEST_API_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    protected override async Task<string> RegistryYamlAsync()
    {
        // A small pool makes the concurrent-request tests queue for connections, as a busy server does, and keeps
        // this fixture from taking a large share of the shared test server's connection slots.
        Environment.SetEnvironmentVariable(_variable, await postgres.CreateDatabaseAsync() + ";Maximum Pool Size=8");
        return $"{{type: postgres, connection: \"${{{_variable}}}\"}}";
    }
}

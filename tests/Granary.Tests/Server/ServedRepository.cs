using System.Text;
using System.Text.Json;
using Granary.Server;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Granary.Tests.Server;

/// <summary>
/// The sample repository plus a push view and a service over it, applied and materialized, served by a real
/// <see cref="GranaryServer"/> (Kestrel) on a free loopback port. Started once per test class; each test uses
/// entity ids of its own so that pushes never meet.
/// </summary>
public abstract class ServedRepository : IAsyncLifetime
{
    /// <summary>Small, so the 413 test need not send megabytes.</summary>
    public const long MaxBody = 64 * 1024;

    public const string PushViews = """
        feature_views:
          - name: live_stats
            entities: [user]
            ttl: 0
            source: user_stats_push
            schema: [{name: orders_7d, dtype: int64}, {name: spend_7d, dtype: float64}]
        feature_services:
          - name: live_model
            features: [live_stats:orders_7d, user_stats:spend_7d]
        """;

    /// <summary>
    /// The server's "now": after every row the tests materialize or push (the sample's user_stats, ttl 2d, ends
    /// 2026-11-01; pushes are dated up to 2026-11-06), so ttl answers do not depend on the day the tests run.
    /// </summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 10, 0, 0, 0, TimeSpan.Zero);

    private GranaryServer? _server;

    public TempRepository Repo { get; } = SampleRepository.Create().Write("push.yaml", PushViews);

    public HttpClient Client { get; private set; } = null!;

    public GranaryServer Server => _server!;

    /// <summary>
    /// The server's clock, from <see cref="Now"/>. It moves a millisecond each time it is read: a push's created time
    /// is the clock's, and two pushes of one event time must still be ordered by arrival, as on a real clock.
    /// </summary>
    public FakeTimeProvider Clock { get; } = new(Now) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };

    /// <summary>The <c>online_store</c> value for granary.yaml.</summary>
    protected abstract Task<string> OnlineStoreYamlAsync();

    public virtual async Task InitializeAsync()
    {
        Repo.Write("granary.yaml", $"{SampleRepository.Config}\nonline_store: {await OnlineStoreYamlAsync()}\n");
        await using (var store = FeatureStore.Open(Repo.Root))
        {
            await store.ApplyAsync();
            await store.MaterializeAsync(DateTimeOffset.UnixEpoch, new DateTimeOffset(2026, 11, 4, 0, 0, 0, TimeSpan.Zero), ["user_stats"]);
        }

        _server = await StartAsync(Repo.Root, Clock);
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

    /// <summary>
    /// A server on free loopback ports over <paramref name="repository"/>, quiet in the test output, on
    /// <paramref name="time"/>'s clock (the system's when null: for tests whose answers do not depend on "now").
    /// </summary>
    public static async Task<GranaryServer> StartAsync(string repository, TimeProvider? time = null)
    {
        var server = new GranaryServer(
            new GranaryServerOptions
            {
                RepositoryPath = repository,
                Port = 0,
                GrpcPort = 0,
                MaxRequestBodySize = MaxBody,
                RegistryRefreshInterval = TimeSpan.FromMilliseconds(200),
                ShutdownTimeout = TimeSpan.FromSeconds(5),
            },
            logging => logging.ClearProviders(),
            time);
        await server.StartAsync();
        return server;
    }

    public async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await Client.PostAsync(new Uri(path.TrimStart('/'), UriKind.Relative), content);
        return (response, await BodyAsync(response));
    }

    public async Task<(HttpResponseMessage Response, JsonElement Body)> GetAsync(string path)
    {
        var response = await Client.GetAsync(new Uri(path.TrimStart('/'), UriKind.Relative));
        return (response, await BodyAsync(response));
    }

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (text.Length == 0 || response.Content.Headers.ContentType?.MediaType != "application/json")
        {
            return default;
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }
}

/// <summary>Served over the embedded online store.</summary>
public sealed class EmbeddedServedRepository : ServedRepository
{
    protected override Task<string> OnlineStoreYamlAsync() => Task.FromResult("{type: embedded}");
}

/// <summary>Served over a real Redis started for the class.</summary>
public sealed class RedisServedRepository : ServedRepository
{
    private readonly RedisServer _redis = new();

    protected override async Task<string> OnlineStoreYamlAsync()
    {
        await _redis.InitializeAsync();
        return $"{{type: redis, connection: \"{_redis.ConnectionString}\"}}";
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _redis.DisposeAsync();
    }
}

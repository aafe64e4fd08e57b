using System.Net;
using Granary.Server;
using Granary.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Granary.Tests.Server.Diagnostics;

/// <summary>
/// <c>/metrics</c> is a server's own: <c>granary serve</c> maps it with today's series, a host that embeds the server
/// maps it only if it asks (<c>MapGranaryMetrics</c>), and two servers in one process never count each other's requests.
/// </summary>
public sealed class MetricsEndpointTests : IAsyncLifetime
{
    private readonly TempRepository _repo = SampleRepository.Create();

    public async Task InitializeAsync()
    {
        await using var store = FeatureStore.Open(_repo.Root);
        await store.ApplyAsync();
    }

    public Task DisposeAsync()
    {
        _repo.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_host_that_maps_granary_without_its_metrics_or_openapi_serves_neither()
    {
        await using var app = await StartHostAsync(app => app.MapGranary());
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };

        using var health = await client.GetAsync(new Uri("health", UriKind.Relative));
        using var metrics = await client.GetAsync(new Uri("metrics", UriKind.Relative));
        using var openApi = await client.GetAsync(new Uri("openapi/v1.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, openApi.StatusCode);
    }

    [Fact]
    public async Task A_host_that_opts_in_serves_metrics_and_openapi_at_the_paths_it_chooses()
    {
        await using var app = await StartHostAsync(app =>
        {
            app.MapGranary();
            app.MapGranaryMetrics("/ops/metrics");
            app.MapGranaryOpenApi("/ops/openapi/{documentName}.json");
        });
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        (await client.GetAsync(new Uri("health", UriKind.Relative))).Dispose();

        var metrics = await client.GetStringAsync(new Uri("ops/metrics", UriKind.Relative));
        var openApi = await client.GetStringAsync(new Uri("ops/openapi/v1.json", UriKind.Relative));
        using var wrongMethod = await client.PostAsync(new Uri("ops/openapi/v1.json", UriKind.Relative), null);

        Assert.Equal(1, RequestCount(metrics, "health"));
        Assert.Contains("/get-online-features", openApi, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
    }

    [Fact]
    public async Task Two_servers_in_one_process_each_count_only_their_own_requests()
    {
        await using var first = await ServedRepository.StartAsync(_repo.Root);
        await using var second = await ServedRepository.StartAsync(_repo.Root);
        using var toFirst = new HttpClient { BaseAddress = first.HttpUrl };
        using var toSecond = new HttpClient { BaseAddress = second.HttpUrl };
        for (var i = 0; i < 3; i++)
        {
            (await toFirst.GetAsync(new Uri("health", UriKind.Relative))).Dispose();
        }

        (await toSecond.GetAsync(new Uri("health", UriKind.Relative))).Dispose();

        Assert.Equal(3, RequestCount(await toFirst.GetStringAsync(new Uri("metrics", UriKind.Relative)), "health"));
        Assert.Equal(1, RequestCount(await toSecond.GetStringAsync(new Uri("metrics", UriKind.Relative)), "health"));
    }

    [Fact]
    public async Task The_served_metrics_are_granarys_series_and_the_process_statistics_as_before()
    {
        await using var server = await ServedRepository.StartAsync(_repo.Root);
        using var client = new HttpClient { BaseAddress = server.HttpUrl };

        var text = await client.GetStringAsync(new Uri("metrics", UriKind.Relative));
        var families = text.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToArray();

        // What granary serve's /metrics listed before its series moved to a registry of the server's own.
        Assert.Equal(
            [
                "granary_server_request_duration_seconds", "granary_server_errors_total", "granary_online_feature_statuses_total",
                "granary_online_store_reads_total", "granary_online_store_read_duration_seconds", "granary_online_store_write_duration_seconds",
                "granary_push_rows_total", "granary_stream_event_to_servable_lag_seconds", "granary_stream_events_rejected_late_total",
                "granary_stream_events_rejected_invalid_total",
                "granary_stream_consumer_lag",
                "granary_feature_view_freshness_age_seconds",
                "granary_online_cache_hits_total", "granary_online_cache_misses_total", "granary_online_cache_evictions_total",
                "dotnet_collection_count_total", "process_start_time_seconds", "process_cpu_seconds_total",
                "process_virtual_memory_bytes", "process_working_set_bytes", "process_private_memory_bytes", "process_open_handles",
                "process_num_threads", "dotnet_total_memory_bytes",
            ],
            families);
    }

    [Fact]
    public async Task With_a_read_cache_metrics_counts_its_hits_and_misses_by_key()
    {
        using var repo = SampleRepository.Create().Write("granary.yaml", "project: shop\nregistry: data/registry.db\nonline_store: {type: embedded, cache_ttl: 1h}\n");
        await using (var store = FeatureStore.Open(repo.Root))
        {
            await store.ApplyAsync();
        }

        await using var server = await ServedRepository.StartAsync(repo.Root);
        using var client = new HttpClient { BaseAddress = server.HttpUrl };
        const string Request = """{"features": ["user_stats:orders_7d"], "entities": {"user_id": [1, 2]}}""";
        for (var i = 0; i < 3; i++)
        {
            using var content = new StringContent(Request, System.Text.Encoding.UTF8, "application/json");
            (await client.PostAsync(new Uri("get-online-features", UriKind.Relative), content)).EnsureSuccessStatusCode().Dispose();
        }

        var text = await client.GetStringAsync(new Uri("metrics", UriKind.Relative));

        Assert.Contains("\ngranary_online_cache_misses_total 2\n", text, StringComparison.Ordinal);
        Assert.Contains("\ngranary_online_cache_hits_total 4\n", text, StringComparison.Ordinal);
    }

    // The count of 200 answers on endpoint in a /metrics text; 0 if it has none.
    private static double RequestCount(string metrics, string endpoint)
    {
        var prefix = $"granary_server_request_duration_seconds_count{{endpoint=\"{endpoint}\",http_response_status_code=\"200\"}} ";
        var line = metrics.Split('\n').SingleOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<WebApplication> StartHostAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddGranaryServer(server => server.RepositoryPath = _repo.Root);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return app;
    }
}

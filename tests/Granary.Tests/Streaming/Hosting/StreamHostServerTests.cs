using System.Diagnostics.Metrics;
using System.Text;
using Granary.Server;
using Granary.Server.Diagnostics;
using Granary.Streams;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Granary.Tests.Streaming.Hosting;

/// <summary>
/// <c>granary serve --with-streams</c>: the server runs the consumers as a hosted service, shows each source's lag at
/// /metrics, and stops them with itself.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class StreamHostServerTests(RedisServer redis)
{
    private readonly string _stream = RedisServer.NewProject();

    [Fact]
    public async Task A_server_with_streams_applies_entries_shows_the_lag_at_metrics_and_stops_consuming_when_it_stops()
    {
        using var repo = await HostedStreamRepository.RedisAsync(redis.Endpoint, _stream);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var events = HostedEvent.Range(0, 100);
        await HostedStreamRepository.AddAsync(connection.GetDatabase(), _stream, events);

        await using (var server = new GranaryServer(
            new GranaryServerOptions { RepositoryPath = repo.Root, Port = 0, GrpcPort = null, WithStreams = true, ShutdownTimeout = TimeSpan.FromSeconds(10) },
            logging => logging.ClearProviders()))
        {
            await server.StartAsync();
            var store = server.Services.GetRequiredService<FeatureStore>();
            await StreamWait.UntilCaughtUpAsync(store);

            using var http = new HttpClient { BaseAddress = server.HttpUrl };
            var source = HostedStreamRepository.Source;
            await StreamWait.UntilAsync(
                async () =>
                {
                    var text = await http.GetStringAsync(new Uri("metrics", UriKind.Relative));
                    return text.Contains($"granary_stream_consumer_lag{{stream_source=\"{source}\",kind=\"undelivered\"}} 0\n", StringComparison.Ordinal)
                        && text.Contains($"granary_stream_consumer_lag{{stream_source=\"{source}\",kind=\"unacknowledged\"}} 0\n", StringComparison.Ordinal);
                },
                "/metrics shows the caught-up lag",
                seconds: 20);
            await server.StopAsync();
        }

        await HostedStreamRepository.AddAsync(connection.GetDatabase(), _stream, HostedEvent.Range(100, 10));
        await using (var store = new FeatureStoreBuilder(repo.Root).Build())
        {
            Assert.Equal(new StreamSourceLag(HostedStreamRepository.Source, "redis_stream", 10, 0), await StreamWait.LagAsync(store));
        }

        await HostedStreamAssert.OnlineEqualsReferenceAsync(repo.Root, events, HostedEvent.T0.AddSeconds(100));
    }

    [Fact]
    public async Task The_lag_gauge_has_both_kinds_per_source_and_leaves_out_an_undelivered_count_the_source_cannot_give()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var metrics = new ServerMetrics(services.GetRequiredService<IMeterFactory>());

        metrics.ConsumerLag([new StreamSourceLag("clicks", "nats", 7, 2), new StreamSourceLag("txns", "redis_stream", null, 3)]);

        using var output = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(output);
        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.Contains("granary_stream_consumer_lag{stream_source=\"clicks\",kind=\"undelivered\"} 7\n", text, StringComparison.Ordinal);
        Assert.Contains("granary_stream_consumer_lag{stream_source=\"clicks\",kind=\"unacknowledged\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("granary_stream_consumer_lag{stream_source=\"txns\",kind=\"unacknowledged\"} 3\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("stream_source=\"txns\",kind=\"undelivered\"", text, StringComparison.Ordinal);
    }
}

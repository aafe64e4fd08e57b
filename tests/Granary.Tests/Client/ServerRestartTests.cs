using Granary.Client;
using Granary.Server;
using Granary.Tests.Infrastructure;
using Granary.Tests.Server;
using Microsoft.Extensions.Logging;

namespace Granary.Tests.Client;

/// <summary>The client rides out a server that stops and starts again on the same port while a request waits.</summary>
public sealed class ServerRestartTests : IAsyncLifetime
{
    private readonly TempRepository _repo = SampleRepository.Create().Write("push.yaml", ServedRepository.PushViews);

    public async Task InitializeAsync()
    {
        _repo.Write("granary.yaml", $"{SampleRepository.Config}\nonline_store: {{type: embedded}}\n");
        await using var store = FeatureStore.Open(_repo.Root);
        await store.ApplyAsync();
    }

    public Task DisposeAsync()
    {
        _repo.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Retries_recover_from_a_server_restarted_while_the_request_waits()
    {
        var port = LoopbackPorts.Free();
        var first = await StartAsync(port);
        using var handler = new CountingHandler();
        using var client = new GranaryClient(new GranaryClientOptions
        {
            BaseAddress = first.HttpUrl,
            HttpMessageHandler = handler,
            RetryCount = 60,
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
            RetryMaxDelay = TimeSpan.FromMilliseconds(400),
        });
        await client.PushAsync(new PushRequest("user_stats_push")
            .AddRow(("user_id", 6001L), ("event_timestamp", "2026-11-03T00:00:00Z"), ("orders_7d", 5L), ("spend_7d", 1.0)));
        await first.DisposeAsync();

        var read = client.GetOnlineFeaturesAsync(OnlineFeaturesRequest.ForFeatures("live_stats:orders_7d").AddEntity(("user_id", 6001L)));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(read.IsCompleted);
        var sentWhileDown = handler.Requests;
        await using var second = await StartAsync(port);
        var answer = await read.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(5L, answer.GetInt64(0, "live_stats:orders_7d"));
        Assert.True(sentWhileDown > 2, $"the client tried {sentWhileDown - 1} times while the server was down");
    }

    private async Task<GranaryServer> StartAsync(int port)
    {
        var server = new GranaryServer(
            new GranaryServerOptions { RepositoryPath = _repo.Root, Port = port, GrpcPort = null, ShutdownTimeout = TimeSpan.FromSeconds(5) },
            logging => logging.ClearProviders());
        await server.StartAsync();
        return server;
    }
}

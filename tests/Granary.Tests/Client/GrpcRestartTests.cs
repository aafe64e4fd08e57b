using System.Diagnostics;
using Granary.Client;
using Granary.Server;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Client;

/// <summary>
/// A server that stops and comes back on the same ports while a gRPC read is being retried: the client's attempts
/// meet UNAVAILABLE (connection refused), are retried with backoff, and the read succeeds once the server is back.
/// </summary>
public sealed class GrpcRestartTests
{
    [Fact]
    public async Task Unavailable_while_the_server_restarts_is_retried_and_the_read_recovers()
    {
        using var repository = new TempRepository();
        await GrpcClientServerFixture.PrepareAsync(repository);
        var (server, port, grpcPort) = await StartOnFreePortsAsync(repository.Root);
        var counter = new GrpcCallCounter();
        using var client = new GranaryClient(new GranaryClientOptions
        {
            BaseAddress = server.HttpUrl,
            GrpcAddress = server.GrpcUrl,
            Transport = GranaryTransport.Grpc,

            // Shorter than the time the server is down, so only retries can carry the read across the restart.
            Timeout = TimeSpan.FromMilliseconds(300),
            RetryCount = 300,
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            RetryMaxDelay = TimeSpan.FromMilliseconds(100),
            HttpMessageHandler = counter,
        });
        var request = () => OnlineFeaturesRequest.ForFeatures("profile:age").WithEntityColumn("user_id", [1L]);
        try
        {
            Assert.Equal(31L, (await client.GetOnlineFeaturesAsync(request())).GetInt64(0, "profile:age"));
            await server.DisposeAsync();

            var read = client.GetOnlineFeaturesAsync(request());
            await Task.Delay(TimeSpan.FromSeconds(1.5));

            // Its attempts fail with UNAVAILABLE (the channel cannot connect) and are retried: the read is still waiting.
            Assert.False(read.IsCompleted, $"the read ended while the server was down: {read.Exception?.InnerException?.Message}");

            var restarted = Stopwatch.StartNew();
            server = await GranaryClientServerStart(repository.Root, port, grpcPort);
            var features = await read.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(31L, features.GetInt64(0, "profile:age"));
            Assert.Equal(FeatureStatus.Present, features.GetStatus(0, "profile:age"));
            Assert.True(restarted.Elapsed < TimeSpan.FromSeconds(10), $"the read recovered {restarted.Elapsed} after the restart");

            // The channel holds calls back while it cannot connect, so few reach the wire: the first read, attempts cut off by
            // their deadline while it connected, and the retry that found the server back.
            Assert.True(counter.GrpcCalls >= 2, $"{counter.GrpcCalls} calls reached the wire");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task With_no_retries_left_a_stopped_server_is_a_transient_unavailable_error()
    {
        var port = LoopbackPorts.Free();
        using var client = new GranaryClient(new GranaryClientOptions
        {
            GrpcAddress = new Uri($"http://127.0.0.1:{port}"),
            Transport = GranaryTransport.Grpc,
            RetryCount = 0,
        });

        var failed = await Assert.ThrowsAsync<GranaryClientException>(() =>
            client.GetOnlineFeaturesAsync(OnlineFeaturesRequest.ForFeatures("profile:age").WithEntityColumn("user_id", [1L])));

        Assert.Equal(GranaryClientException.UnavailableCode, failed.Code);
        Assert.True(failed.IsTransient);
    }

    // Ports picked free a moment ago may be taken by another process before the server binds them: try again.
    private static async Task<(GranaryServer Server, int Port, int GrpcPort)> StartOnFreePortsAsync(string root)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = LoopbackPorts.Free();
            var grpcPort = LoopbackPorts.Free();
            try
            {
                return (await GranaryClientServerStart(root, port, grpcPort), port, grpcPort);
            }
            catch (Exception) when (attempt < 5)
            {
            }
        }
    }

    private static Task<GranaryServer> GranaryClientServerStart(string root, int port, int grpcPort) =>
        GrpcClientServerFixture.StartAsync(root, port, grpcPort);
}

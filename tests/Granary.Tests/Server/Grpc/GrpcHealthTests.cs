using System.Net;
using Granary.Tests.Infrastructure;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Granary.Tests.Server.Grpc;

/// <summary><c>grpc.health.v1.Health</c> follows the stores as <c>GET /health</c> does, on the real server over a real Redis.</summary>
public sealed class GrpcHealthTests
{
    [Fact]
    public async Task The_health_service_turns_not_serving_when_the_online_store_stops_answering_as_http_health_turns_503()
    {
        var redis = new RedisServer();
        await redis.InitializeAsync();
        using var repository = SampleRepository.Create()
            .Write("granary.yaml", $"{SampleRepository.Config}\nonline_store: {{type: redis, connection: \"{redis.ConnectionString}\"}}\n");
        await using (var store = FeatureStore.Open(repository.Root))
        {
            await store.ApplyAsync();
        }

        await using var server = await ServedRepository.StartAsync(repository.Root);
        using var channel = GrpcChannel.ForAddress(server.GrpcUrl!);
        var health = new Health.HealthClient(channel);
        using var http = new HttpClient { BaseAddress = server.HttpUrl };

        var up = await health.CheckAsync(new HealthCheckRequest { Service = "feast.serving.ServingService" });
        await redis.DisposeAsync();
        var down = await health.CheckAsync(new HealthCheckRequest { Service = "feast.serving.ServingService" });
        var whole = await health.CheckAsync(new HealthCheckRequest());
        using var httpDown = await http.GetAsync(new Uri("health", UriKind.Relative));

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, up.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, down.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, whole.Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, httpDown.StatusCode);
    }
}

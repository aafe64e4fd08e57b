using Granary.Server.Grpc;
using Grpc.AspNetCore.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Granary.Tests.Server.Grpc;

public sealed class GranaryGrpcEndpointsTests
{
    [Fact]
    public void AddGranaryGrpc_sets_the_receive_limit_and_the_error_mapping_once_for_granarys_and_feasts_services_only()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddGranaryGrpc(maxReceiveMessageSize: 1024);
        services.AddGranaryGrpc(maxReceiveMessageSize: 2048);
        using var provider = services.BuildServiceProvider();

        var granary = provider.GetRequiredService<IOptions<GrpcServiceOptions<FeatureServingService>>>().Value;
        var feast = provider.GetRequiredService<IOptions<GrpcServiceOptions<FeastServingService>>>().Value;
        var global = provider.GetRequiredService<IOptions<GrpcServiceOptions>>().Value;
        var health = provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value;

        Assert.Equal(2048, granary.MaxReceiveMessageSize);
        Assert.Equal(typeof(GranaryErrorInterceptor), Assert.Single(granary.Interceptors).Type);
        Assert.Equal(2048, feast.MaxReceiveMessageSize);
        Assert.Equal(typeof(GranaryErrorInterceptor), Assert.Single(feast.Interceptors).Type);
        Assert.Empty(global.Interceptors);
        Assert.Equal(FeatureStoreHealthCheck.Name, Assert.Single(health.Registrations).Name);
    }

    [Fact]
    public void The_default_receive_limit_is_larger_than_grpcs_own()
    {
        using var provider = new ServiceCollection().AddLogging().AddGranaryGrpc().BuildServiceProvider();

        var limit = provider.GetRequiredService<IOptions<GrpcServiceOptions<FeatureServingService>>>().Value.MaxReceiveMessageSize;

        Assert.Equal(GranaryGrpcEndpoints.DefaultMaxReceiveMessageSize, limit);
        Assert.True(limit > 4 * 1024 * 1024);
    }
}

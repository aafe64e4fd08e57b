using Granary;
using Granary.Server;
using Granary.Server.Diagnostics;
using Granary.Server.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

// In the Microsoft.Extensions.DependencyInjection namespace, as AddGranary is, so it shows up without an extra using.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers Granary's feature server with an ASP.NET Core app; map its endpoints with <c>app.MapGranary()</c>.</summary>
public static class GranaryServerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the feature server: the <see cref="FeatureStore"/> (through <c>AddGranary</c>, with
    /// <see cref="GranaryServerOptions.RepositoryPath"/> and <see cref="GranaryServerOptions.RegistryRefreshInterval"/>),
    /// its metrics on the <c>Granary</c> meter, the OpenAPI document and the gRPC service (<c>AddGranaryGrpc</c>). The
    /// store's online store is wrapped to time its reads and writes (a <c>ConfigureGranary</c> step); a
    /// <see cref="FeatureStore"/> instance registered before this call is used as it is, without those timings.
    /// </summary>
    public static IServiceCollection AddGranaryServer(this IServiceCollection services, Action<GranaryServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<GranaryServerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddMetrics();
        var firstCall = !services.Any(static d => d.ServiceType == typeof(ServerMetrics));
        services.TryAddSingleton<ServerMetrics>();
        services.TryAddSingleton<EndpointRunner>();
        services.TryAddSingleton(static provider => new IdempotentAnswers(provider.GetService<TimeProvider>() ?? TimeProvider.System));

        // The one composition, AddGranary's, with the online store wrapped (once, however often this is called) so
        // /metrics shows the store's own latency.
        if (firstCall)
        {
            services.ConfigureGranary(static (provider, builder) =>
            {
                var metrics = provider.GetRequiredService<ServerMetrics>();
                builder.WrapOnlineStore(online => new MeteredOnlineStore(online, metrics));
            });
        }

        services.AddGranary();
        services.AddOptions<GranaryOptions>().Configure<IOptions<GranaryServerOptions>>(static (granary, server) =>
        {
            granary.RepositoryPath = server.Value.RepositoryPath;
            granary.Environment = server.Value.Environment;
            granary.RegistryRefreshInterval = server.Value.RegistryRefreshInterval;
        });
        if (firstCall)
        {
            services.AddHostedService<Granary.Server.Monitoring.FreshnessPoller>();
        }

        services.AddOpenApi();
        services.AddGranaryGrpc();
        return services;
    }
}

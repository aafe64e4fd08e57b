using Granary;
using Granary.Registry.Configuration;
using Granary.Registry.Storage;
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
    /// its metrics on the <c>Granary</c> meter, the OpenAPI document and the gRPC service (<c>AddGranaryGrpc</c>). A <see cref="FeatureStore"/> registered before
    /// this call is used as it is, without the online store's timing metrics.
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
        services.TryAddSingleton<ServerMetrics>();
        services.TryAddSingleton<EndpointRunner>();

        // Registered before AddGranary (whose registration is a TryAdd), so the server's store carries a metered online store.
        services.TryAddSingleton(static provider =>
        {
            var granary = provider.GetRequiredService<IOptions<GranaryOptions>>().Value;
            var config = ConfigParser.Load(granary.RepositoryPath);
            var online = new MeteredOnlineStore(OnlineStores.Create(config), provider.GetRequiredService<ServerMetrics>());
            return new FeatureStore(config, RegistryStoreFactory.Create(config.Registry), OfflineEngines.Create(config.OfflineStore), online, granary);
        });
        services.AddGranary();
        services.AddOptions<GranaryOptions>().Configure<IOptions<GranaryServerOptions>>(static (granary, server) =>
        {
            granary.RepositoryPath = server.Value.RepositoryPath;
            granary.RegistryRefreshInterval = server.Value.RegistryRefreshInterval;
        });
        services.AddOpenApi();
        services.AddGranaryGrpc();
        return services;
    }
}

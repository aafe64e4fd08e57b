using Granary.Client;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

// In the Microsoft.Extensions.DependencyInjection namespace, as Microsoft.Extensions' own Add* methods are.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a <see cref="GranaryClient"/> in an application's services.</summary>
public static class GranaryClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="GranaryClient"/> (a singleton: it owns one pooled connection set) configured by
    /// <paramref name="configure"/>, on top of whatever configuration binds <see cref="GranaryClientOptions"/>.
    /// </summary>
    public static IServiceCollection AddGranaryClient(this IServiceCollection services, Action<GranaryClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<GranaryClientOptions>().Configure(configure);
        services.TryAddSingleton(provider => new GranaryClient(provider.GetRequiredService<IOptions<GranaryClientOptions>>().Value));
        return services;
    }
}

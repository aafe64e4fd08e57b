using Granary;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

// In the Microsoft.Extensions.DependencyInjection namespace, as ASP.NET Core and Npgsql do, so AddGranary shows up
// wherever services are configured without an extra using.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers Granary with dependency injection.</summary>
public static class GranaryServiceCollectionExtensions
{
    /// <summary>
    /// Adds a singleton <see cref="FeatureStore"/> over the repository named in <see cref="GranaryOptions"/>.
    /// The store opens on first use, so configuration errors surface with the repository path in the message.
    /// </summary>
    public static IServiceCollection AddGranary(this IServiceCollection services, Action<GranaryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<GranaryOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(static provider =>
        {
            var granary = provider.GetRequiredService<IOptions<GranaryOptions>>().Value;
            return FeatureStore.Open(granary.RepositoryPath, granary);
        });
        return services;
    }
}

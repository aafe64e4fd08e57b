using System.Diagnostics.Metrics;
using Granary;
using Granary.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
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
    /// Adds a singleton <see cref="FeatureStore"/> over the repository named in <see cref="GranaryOptions"/>, composed
    /// by a <see cref="FeatureStoreBuilder"/> with the container's <see cref="ILoggerFactory"/>,
    /// <see cref="IMeterFactory"/> and <see cref="TimeProvider"/> (where registered) and every step given to
    /// <see cref="ConfigureGranary"/>. The store opens on first use, so configuration errors surface with the
    /// repository path in the message. A <see cref="FeatureStore"/> registered before this call is used as it is.
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
            var builder = new FeatureStoreBuilder(granary.RepositoryPath)
                .UseOptions(granary)
                .UseLoggerFactory(provider.GetService<ILoggerFactory>())
                .UseMeterFactory(provider.GetService<IMeterFactory>());
            if (provider.GetService<TimeProvider>() is { } time)
            {
                builder.UseTimeProvider(time);
            }

            foreach (var step in provider.GetServices<FeatureStoreBuilderStep>())
            {
                step.Configure(provider, builder);
            }

            return builder.Build();
        });
        return services;
    }

    /// <summary>
    /// Adds a step to the composition of the <see cref="FeatureStore"/> that <see cref="AddGranary"/> registers: a
    /// wrapper, a provider, a setting. Steps run in the order added, after the container's logging, metrics and clock
    /// are applied, whether they are added before or after <see cref="AddGranary"/>.
    /// </summary>
    public static IServiceCollection ConfigureGranary(this IServiceCollection services, Action<IServiceProvider, FeatureStoreBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddSingleton(new FeatureStoreBuilderStep(configure));
        return services;
    }
}

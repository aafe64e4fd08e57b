using Granary.Server.Streams;
using Granary.Streams;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

// In the Microsoft.Extensions.DependencyInjection namespace, as AddGranary is, so it shows up without an extra using.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the stream consumers as a hosted service.</summary>
public static class GranaryStreamsServiceCollectionExtensions
{
    /// <summary>
    /// Runs the consumers of the stream sources (<see cref="Granary.FeatureStore.RunStreamsAsync(StreamRunOptions, CancellationToken)"/>)
    /// as a hosted service of the application, on the <see cref="Granary.FeatureStore"/> that <c>AddGranary</c> (or
    /// <c>AddGranaryServer</c>) registers: they start with the host and stop with it, finishing their batches. With
    /// <c>AddGranaryServer</c>, /metrics also shows each source's lag (<c>granary_stream_consumer_lag</c>).
    /// </summary>
    public static IServiceCollection AddGranaryStreams(this IServiceCollection services, StreamRunOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(options ?? new StreamRunOptions());
        services.TryAddSingleton<StreamsHostedService>();
        services.AddHostedService(static provider => provider.GetRequiredService<StreamsHostedService>());
        services.AddHostedService<StreamLagPoller>();
        return services;
    }
}

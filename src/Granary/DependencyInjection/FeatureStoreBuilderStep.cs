namespace Granary.DependencyInjection;

/// <summary>One <c>ConfigureGranary</c> step, kept in the container until <c>AddGranary</c>'s factory composes the store.</summary>
internal sealed class FeatureStoreBuilderStep(Action<IServiceProvider, FeatureStoreBuilder> configure)
{
    public void Configure(IServiceProvider services, FeatureStoreBuilder builder) => configure(services, builder);
}

using Granary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Granary.Tests.Hosting;

public sealed class AddGranaryTests
{
    [Fact]
    public async Task AddGranary_registers_one_feature_store_over_the_configured_repository()
    {
        using var repo = SampleRepository.Create();
        var services = new ServiceCollection().AddGranary(o =>
        {
            o.RepositoryPath = repo.Root;
            o.AppliedBy = "ci@test";
        });
        await using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<FeatureStore>();
        await store.ApplyAsync();

        Assert.Same(store, provider.GetRequiredService<FeatureStore>());
        Assert.Equal("shop", store.Project);
        Assert.Equal("ci@test", Assert.Single(await store.GetHistoryAsync()).AppliedBy);
    }
}

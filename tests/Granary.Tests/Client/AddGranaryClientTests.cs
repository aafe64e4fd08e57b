using Granary.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Granary.Tests.Client;

/// <summary>AddGranaryClient registers one client built from the options, and bad options fail naming the option.</summary>
public sealed class AddGranaryClientTests
{
    [Fact]
    public void The_client_is_one_singleton_configured_by_the_callback()
    {
        using var provider = new ServiceCollection()
            .AddGranaryClient(o => o.BaseAddress = new Uri("http://localhost:6566"))
            .BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<GranaryClient>(), provider.GetRequiredService<GranaryClient>());
    }

    [Fact]
    public void Options_without_an_address_or_with_a_bad_value_are_refused_naming_the_option()
    {
        var none = Assert.Throws<GranaryClientException>(() => new GranaryClient(new GranaryClientOptions()));
        var negative = Assert.Throws<GranaryClientException>(() => new GranaryClient(new GranaryClientOptions { BaseAddress = new Uri("http://localhost:1"), RetryCount = -1 }));

        Assert.Equal("invalid_argument", none.Code);
        Assert.Contains("BaseAddress", none.Message, StringComparison.Ordinal);
        Assert.Contains("RetryCount", negative.Message, StringComparison.Ordinal);
    }
}

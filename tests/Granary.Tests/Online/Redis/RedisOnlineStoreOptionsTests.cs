using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Tests.Infrastructure;

namespace Granary.Tests.Online.Redis;

/// <summary><c>batch_bytes</c> and <c>batches_in_flight</c> of a Redis online store: positive whole numbers, or an error at their line.</summary>
public sealed class RedisOnlineStoreOptionsTests
{
    [Theory]
    [InlineData("batch_bytes", "0")]
    [InlineData("batch_bytes", "1MiB")]
    [InlineData("batches_in_flight", "-2")]
    [InlineData("batches_in_flight", "4.5")]
    public void A_batching_setting_that_is_not_a_positive_whole_number_is_an_error_at_its_line(string key, string value)
    {
        using var repo = SampleRepository.Create().Write("granary.yaml", $"""
            project: shop
            online_store:
              type: redis
              connection: localhost:6379
              {key}: "{value}"
            """);

        var e = Assert.Throws<DefinitionException>(() => new FeatureStoreBuilder(repo.Root).UseVariables(_ => null).Build());

        var diagnostic = Assert.Single(e.Diagnostics);
        Assert.Equal(ErrorCodes.InvalidConfig, diagnostic.Code);
        Assert.Equal(5, diagnostic.Location!.Value.Line);
        Assert.Equal($"'{key}' of the Redis online store must be a positive whole number, not '{value}'.", diagnostic.Message);
    }
}

using System.Globalization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Online;
using Granary.Online.Redis;
using Granary.Tests.Infrastructure;
using Granary.Core.Values;

namespace Granary.Tests.Online.Redis;

/// <summary>How the Redis store reports a Redis it cannot reach and configuration it cannot use.</summary>
public sealed class RedisOnlineStoreConnectionTests
{
    [Fact]
    public async Task An_unreachable_server_fails_to_initialize_with_online_store_unavailable()
    {
        var port = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture);
        await using var store = new RedisOnlineStore($"127.0.0.1:{port},connectTimeout=1000,connectRetry=1", "p");

        var error = await Assert.ThrowsAsync<GranaryException>(() => store.InitializeAsync());

        Assert.Equal(ErrorCodes.OnlineStoreUnavailable, error.Code);
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_abort_on_connect_an_unreachable_server_fails_each_operation_with_online_store_unavailable()
    {
        var port = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture);
        // The client's backlog holds commands until the (short) timeouts, then fails them.
        await using var store = new RedisOnlineStore($"127.0.0.1:{port},abortConnect=false,connectTimeout=500,syncTimeout=500,asyncTimeout=500", "p");
        await store.InitializeAsync();
        var key = EntityKey.Create(FeatureValue.Int64(1));

        var read = await Assert.ThrowsAsync<GranaryException>(async () => await store.ReadAsync([new OnlineKey("v", key)], new byte[]?[1]));
        var watermark = await Assert.ThrowsAsync<GranaryException>(() => store.GetWatermarkAsync("v"));

        Assert.Equal(ErrorCodes.OnlineStoreUnavailable, read.Code);
        Assert.Equal(ErrorCodes.OnlineStoreUnavailable, watermark.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("localhost:6379,noSuchOption=1")]
    public void A_malformed_connection_string_is_invalid_config(string connection)
    {
        var error = Assert.Throws<GranaryException>(() => new RedisOnlineStore(connection, "p"));

        Assert.Equal(ErrorCodes.InvalidConfig, error.Code);
    }

    [Fact]
    public void The_connection_string_is_not_echoed_in_errors_because_it_may_hold_a_password()
    {
        var error = Assert.Throws<GranaryException>(() => new RedisOnlineStore("localhost:6379,password=hunter2,noSuchOption=1", "p"));

        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a{b")]
    [InlineData("a}b")]
    public void A_project_that_would_break_the_hash_tag_is_invalid_config(string project)
    {
        var error = Assert.Throws<GranaryException>(() => new RedisOnlineStore("localhost:6379", project));

        Assert.Equal(ErrorCodes.InvalidConfig, error.Code);
    }

    [Fact]
    public async Task The_store_is_named_redis_and_connects_only_when_initialized()
    {
        // Construction only parses; no connection is attempted until InitializeAsync.
        await using var store = new RedisOnlineStore("localhost:6379", "p");

        Assert.Equal("redis", store.Name);
    }
}

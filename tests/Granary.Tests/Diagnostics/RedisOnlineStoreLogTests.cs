using System.Globalization;
using Granary.Online.Redis;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Granary.Tests.Diagnostics;

/// <summary>What the Redis store tells an operator (events 5101-5199): connecting, and connections it could not make or lost.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisOnlineStoreLogTests(RedisServer redis)
{
    [Fact]
    public async Task Connecting_logs_the_endpoints_and_the_topology_found()
    {
        var log = new CapturedLog();
        await using var store = new RedisOnlineStore(redis.ConnectionString, RedisServer.NewProject(), log);

        await store.InitializeAsync();

        var connected = Assert.Single(log.WithId(5101));
        Assert.Equal(LogLevel.Information, connected.Level);
        Assert.Equal($"Connected to Redis {redis.Endpoint} (single server)", connected.Message);
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_is_logged_with_the_reason()
    {
        var port = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture);
        var log = new CapturedLog();
        await using var store = new RedisOnlineStore($"127.0.0.1:{port},connectTimeout=1000,connectRetry=1", "p", log);

        await Assert.ThrowsAnyAsync<Exception>(() => store.InitializeAsync());

        var failed = Assert.Single(log.WithId(5102));
        Assert.Equal(LogLevel.Warning, failed.Level);
        Assert.Contains($"127.0.0.1:{port}", failed.Message, StringComparison.Ordinal);
        Assert.NotNull(failed.Exception);
    }

    [Fact]
    public async Task A_connection_redis_drops_is_logged_as_lost_and_then_as_restored()
    {
        var name = $"granary-log-{Guid.NewGuid():N}";
        var log = new CapturedLog();
        await using var store = new RedisOnlineStore($"{redis.ConnectionString},name={name}", RedisServer.NewProject(), log);
        await store.InitializeAsync();

        // Redis closes this store's connections (and no one else's); the client reconnects by itself.
        foreach (var line in (await redis.CliAsync("CLIENT", "LIST")).Split('\n'))
        {
            if (line.Contains($" name={name} ", StringComparison.Ordinal))
            {
                var id = line.Split(' ')[0]["id=".Length..];
                await redis.CliAsync("CLIENT", "KILL", "ID", id);
            }
        }

        for (var attempt = 0; attempt < 200 && log.WithId(5104).Length == 0; attempt++)
        {
            await Task.Delay(50);
        }

        var lost = Assert.Single(log.WithId(5103).Take(1));
        Assert.Equal(LogLevel.Warning, lost.Level);
        Assert.Contains(redis.Endpoint, lost.Message, StringComparison.Ordinal);
        var restored = Assert.Single(log.WithId(5104).Take(1));
        Assert.Equal(LogLevel.Information, restored.Level);
        Assert.Contains(redis.Endpoint, restored.Message, StringComparison.Ordinal);
    }
}

using Granary.Tests.Infrastructure;
using StackExchange.Redis;

namespace Granary.Tests.Streaming.Hosting;

[Collection(RedisCollection.Name)]
public sealed class StreamHostRedisKillTests(RedisServer redis) : StreamHostKillTests
{
    private readonly string _stream = RedisServer.NewProject();

    private protected override Task<TempRepository> CreateRepositoryAsync() => HostedStreamRepository.RedisAsync(redis.Endpoint, _stream);

    private protected override async Task PublishAsync(IReadOnlyList<HostedEvent> events)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        await HostedStreamRepository.AddAsync(connection.GetDatabase(), _stream, events);
    }
}

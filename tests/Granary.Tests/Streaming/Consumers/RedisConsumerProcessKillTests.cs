using Granary.Core.Model;
using Granary.Streaming.Sources;
using Granary.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Granary.Tests.Streaming.Consumers;

[Collection(RedisCollection.Name)]
public sealed class RedisConsumerProcessKillTests(RedisServer redis) : ConsumerProcessKillTests, IAsyncLifetime
{
    private readonly string _stream = RedisServer.NewProject();
    private ConnectionMultiplexer _connection = null!;

    public async Task InitializeAsync() => _connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    protected override async Task<IReadOnlyCollection<string>> PublishAsync(int count)
    {
        var db = _connection.GetDatabase();
        var ids = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            ids.Add((await db.StreamAddAsync(_stream, "n", i)).ToString());
        }

        return ids.ToHashSet();
    }

    protected override string[] ChildArguments(string output) => ["redis", redis.ConnectionString, _stream, "granary", "worker-1", output];

    private protected override IStreamConsumer Successor() => new RedisStreamConsumer(
        new RedisStreamSource { Name = "events", Connection = redis.ConnectionString, Stream = _stream, Group = "granary", BatchSourceName = "log" },
        _connection,
        ownsConnection: false,
        new StreamConsumerOptions { ConsumerName = "worker-1", BatchSize = 100 },
        NullLogger.Instance);
}

using Granary.Tests.Infrastructure;

namespace Granary.Tests.Streaming.EndToEnd;

/// <summary>Online/offline parity of stream views on a real Redis server.</summary>
[Collection(RedisCollection.Name)]
public sealed class StreamParityRedisTests(RedisServer server) : StreamParityContract
{
    protected override string? OnlineStoreYaml => $"{{type: redis, connection: \"{server.ConnectionString}\"}}";

    // Project names allow letters, digits and underscores only.
    protected override string NewProject() => RedisServer.NewProject().Replace('-', '_');
}

namespace Granary.Online.Redis;

/// <summary>The options of <c>online_store: {type: redis}</c>: a Redis server or cluster that several servers share.</summary>
public sealed class RedisOnlineStoreOptions
{
    /// <summary><c>connection</c>, required: the StackExchange.Redis configuration string, e.g. <c>localhost:6379</c>.</summary>
    public required string Connection { get; set; }
}

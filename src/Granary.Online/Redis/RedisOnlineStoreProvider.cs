using Granary.Core.Providers;
using Granary.Online.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Granary.Online.Redis;

/// <summary>Registers <c>online_store: {type: redis, connection: ...}</c>: <see cref="RedisOnlineStore"/>, its keys scoped to the project.</summary>
internal sealed class RedisOnlineStoreProvider : StoreProvider<IOnlineStore, RedisOnlineStoreOptions>
{
    public const string TypeName = "redis";

    public override string Type => TypeName;

    public override RedisOnlineStoreOptions? ReadOptions(StoreOptionsReader reader) =>
        reader.Required("connection") is { } connection ? new() { Connection = connection } : null;

    public override IOnlineStore Create(RedisOnlineStoreOptions options, ProviderContext context) =>
        new TracedOnlineStore(new RedisOnlineStore(options.Connection, context.Project, context.LoggerFactory.CreateLogger<RedisOnlineStore>()), "redis");
}

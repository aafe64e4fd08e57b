using System.Globalization;
using Granary.Core.Providers;
using Granary.Online.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Granary.Online.Redis;

/// <summary>
/// Registers <c>online_store: {type: redis, connection: ..., batch_bytes: ..., batches_in_flight: ...}</c>:
/// <see cref="RedisOnlineStore"/>, its keys scoped to the project.
/// </summary>
internal sealed class RedisOnlineStoreProvider : StoreProvider<IOnlineStore, RedisOnlineStoreOptions>
{
    public const string TypeName = "redis";

    public override string Type => TypeName;

    public override RedisOnlineStoreOptions? ReadOptions(StoreOptionsReader reader)
    {
        var connection = reader.Required("connection");
        var batchBytes = PositiveInt(reader, "batch_bytes", RedisOnlineStoreOptions.DefaultMaxBatchBytes);
        var inFlight = PositiveInt(reader, "batches_in_flight", RedisOnlineStoreOptions.DefaultMaxBatchesInFlight);
        return connection is null || batchBytes is null || inFlight is null
            ? null
            : new() { Connection = connection, MaxBatchBytes = batchBytes.Value, MaxBatchesInFlight = inFlight.Value };
    }

    public override IOnlineStore Create(RedisOnlineStoreOptions options, ProviderContext context) =>
        new TracedOnlineStore(new RedisOnlineStore(options, context.Project, context.LoggerFactory.CreateLogger<RedisOnlineStore>()), "redis");

    private static int? PositiveInt(StoreOptionsReader reader, string key, int fallback)
    {
        if (reader.Optional(key) is not { } text)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }

        reader.Error(key, $"'{key}' of the Redis online store must be a positive whole number, not '{text}'.");
        return null;
    }
}

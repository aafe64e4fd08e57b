namespace Granary.Online.Redis;

/// <summary>The options of <c>online_store: {type: redis}</c>: a Redis server or cluster that several servers share.</summary>
public sealed class RedisOnlineStoreOptions
{
    /// <summary>The default of <see cref="MaxBatchBytes"/>: 1 MiB of keys and records per pipelined batch.</summary>
    public const int DefaultMaxBatchBytes = 1 << 20;

    /// <summary>The default of <see cref="MaxBatchesInFlight"/>.</summary>
    public const int DefaultMaxBatchesInFlight = 4;

    /// <summary><c>connection</c>, required: the StackExchange.Redis configuration string, e.g. <c>localhost:6379</c>.</summary>
    public required string Connection { get; set; }

    /// <summary>
    /// <c>batch_bytes</c>: how many bytes of keys and records one pipelined batch of writes carries at most (a single
    /// larger record still goes, alone). A write call larger than this is sent as several batches.
    /// </summary>
    public int MaxBatchBytes { get; set; } = DefaultMaxBatchBytes;

    /// <summary>
    /// <c>batches_in_flight</c>: how many pipelined batches this store has sent and Redis has not answered yet, over all
    /// callers together; a write waits for an answer before sending more (back-pressure), so a large materialization
    /// neither buffers its whole volume in the client nor floods the server.
    /// </summary>
    public int MaxBatchesInFlight { get; set; } = DefaultMaxBatchesInFlight;
}

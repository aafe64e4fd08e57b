using StackExchange.Redis;

namespace Granary.Online.Redis;

/// <summary>
/// The Lua scripts behind <see cref="IAggregateStateStore"/> on Redis. Each touches one key, so each runs on the node
/// that owns the key's slot and works on Redis Cluster as on one server; a batch is many calls, pipelined. A state is
/// a hash with fields <c>s</c> (the state's bytes) and <c>v</c> (its version, an integer that only grows).
/// </summary>
internal static class AggregateStateScripts
{
    /// <summary>
    /// Compare-and-set: writes ARGV[2] to KEYS[1] and increments its version only if the stored version (0 when the key
    /// has none) is ARGV[1]; replies 1 when written, 0 when the key has moved on.
    /// </summary>
    public const string CompareAndSet = """
        local stored = redis.call('HGET', KEYS[1], 'v')
        if (stored or '0') ~= ARGV[1] then return 0 end
        redis.call('HSET', KEYS[1], 's', ARGV[2])
        redis.call('HINCRBY', KEYS[1], 'v', 1)
        return 1
        """;

    /// <summary>
    /// Moves KEYS[1] forward to ARGV[1] if it is later than the stored watermark. Both are decimal i64s compared as
    /// text (sign, then length, then digits), not as Lua numbers, which are doubles and lose microseconds past 2^53.
    /// </summary>
    public const string AdvanceWatermark = """
        local function less(a, b)
          local an, bn = string.sub(a, 1, 1) == '-', string.sub(b, 1, 1) == '-'
          if an ~= bn then return an end
          if #a ~= #b then
            if an then return #a > #b end
            return #a < #b
          end
          if an then return a > b end
          return a < b
        end
        local stored = redis.call('GET', KEYS[1])
        if not stored or less(stored, ARGV[1]) then
          redis.call('SET', KEYS[1], ARGV[1])
          return 1
        end
        return 0
        """;

    public static readonly RedisValue[] StateFields = ["s", "v"];
}

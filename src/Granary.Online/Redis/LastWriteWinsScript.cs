using System.Globalization;
using Granary.Core.Values;
using StackExchange.Redis;

namespace Granary.Online.Redis;

/// <summary>
/// The Lua script that applies records last-write-wins inside Redis, so the compare and the set are one atomic step
/// even with many writers. KEYS[i] receives ARGV[i] only if ARGV[i] is strictly later than the stored value by
/// (event time, created time), read from the fixed offsets of <see cref="OnlineRecord"/>, or if the stored value was
/// written under another schema (its version byte and fingerprint differ: <see cref="OnlineRecord.Replaces"/>); the
/// reply is how many were written. Keys of one call must share a hash slot (Redis Cluster requires it of scripts).
/// </summary>
/// <remarks>
/// Lua 5.1 numbers are doubles, which hold an i64 only up to 2^53, and <see cref="Core.Time.UtcMicros.None"/> is
/// <see cref="long.MinValue"/>. So each i64 is read as its two exactly representable halves, the unsigned low word
/// (<c>I4</c>) and the signed high word (<c>i4</c>), and compared high first: that is the i64 order, bit for bit. The
/// created time directly follows the event time, so one unpack reads both.
/// A stored value too short to be a record, or one of another schema, is overwritten whatever its times: the times
/// of a record the writer's view cannot read must not keep that view's value out. One MGET reads every key and one MSET
/// writes the winners, rather than a GET and a SET per key: a call into Redis from Lua costs more than the compare.
/// A key given twice in one call is judged against the earlier winner, not the value read at the start.
/// The client sends the script once per server (SCRIPT LOAD) and EVALSHA afterwards, reloading it if the server
/// forgets it (a restart, SCRIPT FLUSH).
/// </remarks>
internal static class LastWriteWinsScript
{
    public const string Source = """
        local function times(record)
          return struct.unpack('<I4i4I4i4', record, EVENT_OFFSET)
        end
        local stored = redis.call('MGET', unpack(KEYS))
        local winners = {}
        local written = 0
        for i = 1, #KEYS do
          local candidate = ARGV[i]
          local current = winners[KEYS[i]] or stored[i]
          local wins = true
          if current and string.len(current) >= HEADER_SIZE
              and string.sub(current, 1, SCHEMA_PREFIX) == string.sub(candidate, 1, SCHEMA_PREFIX) then
            local elo, ehi, clo, chi = times(candidate)
            local oelo, oehi, oclo, ochi = times(current)
            if ehi ~= oehi then wins = ehi > oehi
            elseif elo ~= oelo then wins = elo > oelo
            elseif chi ~= ochi then wins = chi > ochi
            else wins = clo > oclo end
          end
          if wins then
            winners[KEYS[i]] = candidate
            written = written + 1
          end
        end
        if written > 0 then
          local pairs_ = {}
          for key, record in pairs(winners) do
            pairs_[#pairs_ + 1] = key
            pairs_[#pairs_ + 1] = record
          end
          redis.call('MSET', unpack(pairs_))
        end
        return written
        """;

    /// <summary>The script with the record's offsets filled in (Lua strings are 1-based, hence the + 1).</summary>
    public static readonly string Text = OnlineRecord.CreatedOffset != OnlineRecord.EventOffset + 8
        ? throw new InvalidOperationException("The script reads the created time right after the event time; the record layout changed.")
        : Source
        .Replace("HEADER_SIZE", OnlineRecord.HeaderSize.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("SCHEMA_PREFIX", OnlineRecord.SchemaPrefixSize.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("EVENT_OFFSET", (OnlineRecord.EventOffset + 1).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>Sends one call for <paramref name="keys"/> and their <paramref name="records"/>; the reply is how many were written.</summary>
    public static Task<RedisResult> ApplyAsync(IDatabaseAsync database, RedisKey[] keys, RedisValue[] records) =>
        database.ScriptEvaluateAsync(Text, keys, records);
}

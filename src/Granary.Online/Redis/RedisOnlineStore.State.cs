using System.Globalization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using StackExchange.Redis;

namespace Granary.Online.Redis;

// Stream views' aggregate states: one hash per (view, entity), written by compare-and-set in Lua (AggregateStateScripts).
internal sealed partial class RedisOnlineStore
{
    /// <inheritdoc />
    public async ValueTask ReadStatesAsync(IReadOnlyList<OnlineKey> keys, AggregateStateEntry[] states, CancellationToken cancellationToken = default)
    {
        OnlineStoreArguments.CheckStateRead(keys, states);
        var database = await ConnectedAsync(cancellationToken).ConfigureAwait(false);
        if (keys.Count == 0)
        {
            return;
        }

        // One HMGET per key, all sent before any answer is awaited: the multiplexer pipelines them into one round trip
        // per node, and no command spans slots.
        var reads = new Task<RedisValue[]>[keys.Count];
        for (var i = 0; i < reads.Length; i++)
        {
            reads[i] = database.HashGetAsync(_layout.StateKey(keys[i].View, keys[i].Entity), AggregateStateScripts.StateFields);
        }

        try
        {
            await Task.WhenAll(reads).ConfigureAwait(false);
        }
        catch (Exception e) when (RedisErrors.IsUnavailable(e))
        {
            throw RedisErrors.Unavailable(_endpoints, "read aggregate states", e);
        }

        for (var i = 0; i < reads.Length; i++)
        {
            var fields = reads[i].Result;
            states[i] = fields[0].IsNull ? default : new AggregateStateEntry((byte[]?)fields[0], Version(fields[1], keys[i]));
        }
    }

    /// <inheritdoc />
    public async Task<int> CompareAndSetStatesAsync(IReadOnlyList<AggregateStateWrite> writes, bool[] applied, CancellationToken cancellationToken = default)
    {
        OnlineStoreArguments.CheckStateWrites(writes, applied);
        var database = await ConnectedAsync(cancellationToken).ConfigureAwait(false);
        var calls = new Task<RedisResult>[writes.Count];
        for (var i = 0; i < calls.Length; i++)
        {
            var write = writes[i];
            calls[i] = database.ScriptEvaluateAsync(
                AggregateStateScripts.CompareAndSet,
                [_layout.StateKey(write.View, write.Entity)],
                [write.ExpectedVersion.ToString(CultureInfo.InvariantCulture), write.State]);
        }

        try
        {
            await Task.WhenAll(calls).ConfigureAwait(false);
        }
        catch (Exception e) when (RedisErrors.IsUnavailable(e))
        {
            throw RedisErrors.Unavailable(_endpoints, "write aggregate states", e);
        }

        var count = 0;
        for (var i = 0; i < calls.Length; i++)
        {
            applied[i] = (int)calls[i].Result == 1;
            count += applied[i] ? 1 : 0;
        }

        return count;
    }

    /// <inheritdoc />
    public async Task<long?> GetStreamWatermarkAsync(string source, CancellationToken cancellationToken = default)
    {
        OnlineStoreArguments.CheckSource(source);
        var database = await ConnectedAsync(cancellationToken).ConfigureAwait(false);
        RedisValue value;
        try
        {
            value = await database.StringGetAsync(_layout.StreamWatermarkKey(source)).ConfigureAwait(false);
        }
        catch (Exception e) when (RedisErrors.IsUnavailable(e))
        {
            throw RedisErrors.Unavailable(_endpoints, "read the stream watermark of source '" + source + "'", e);
        }

        if (value.IsNull)
        {
            return null;
        }

        return value.TryParse(out long micros)
            ? micros
            : throw new GranaryException(ErrorCodes.OnlineStoreUnavailable, $"The stream watermark of source '{source}' at Redis key '{_layout.StreamWatermarkKey(source)}' is not a number of microseconds; delete the key.");
    }

    /// <inheritdoc />
    public async Task AdvanceStreamWatermarkAsync(string source, long eventMicros, CancellationToken cancellationToken = default)
    {
        OnlineStoreArguments.CheckSource(source);
        var database = await ConnectedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await database.ScriptEvaluateAsync(
                AggregateStateScripts.AdvanceWatermark,
                [_layout.StreamWatermarkKey(source)],
                [eventMicros.ToString(CultureInfo.InvariantCulture)]).ConfigureAwait(false);
        }
        catch (Exception e) when (RedisErrors.IsUnavailable(e))
        {
            throw RedisErrors.Unavailable(_endpoints, "advance the stream watermark of source '" + source + "'", e);
        }
    }

    private long Version(RedisValue stored, OnlineKey key) => stored.TryParse(out long version) && version > 0
        ? version
        : throw new GranaryException(
            ErrorCodes.OnlineStoreUnavailable,
            $"The aggregate state of view '{key.View}' at Redis key '{_layout.StateKey(key.View, key.Entity)}' has no valid version; delete the key and backfill the view.");
}

using System.Buffers;
using StackExchange.Redis;

namespace Granary.Online.Redis;

/// <summary>
/// Splits a batch of keys into runs that one multi-key command may carry. On Redis Cluster a command's keys must
/// share a hash slot, so the batch is ordered by slot (stably: two writes of one key keep their order) and cut where
/// the slot changes; on a single server the batch is one run in the caller's order. Runs are also capped in length so
/// that no single command holds Redis (which runs one command at a time) for long.
/// </summary>
internal readonly struct SlotRuns : IDisposable
{
    // Each entry is (slot << 32 | position), so one sort of longs orders by slot and, within a slot, by position.
    private readonly long[]? _order;

    private SlotRuns(long[]? order, int count)
    {
        _order = order;
        Count = count;
    }

    /// <summary>How many keys the runs cover.</summary>
    public int Count { get; }

    /// <summary>
    /// Runs of the first <paramref name="count"/> <paramref name="keys"/> by hash slot for a cluster, or one run for a
    /// single server (<paramref name="cluster"/> null).
    /// </summary>
    public static SlotRuns Create(IConnectionMultiplexer? cluster, RedisKey[] keys, int count)
    {
        if (cluster is null)
        {
            return new SlotRuns(null, count);
        }

        var order = ArrayPool<long>.Shared.Rent(count);
        for (var i = 0; i < count; i++)
        {
            order[i] = ((long)cluster.HashSlot(keys[i]) << 32) | (uint)i;
        }

        Array.Sort(order, 0, count);
        return new SlotRuns(order, count);
    }

    /// <summary>The caller's index of the key at <paramref name="position"/> in run order.</summary>
    public int IndexAt(int position) => _order is null ? position : (int)(uint)_order[position];

    /// <summary>Where the run that starts at <paramref name="start"/> ends (exclusive), at most <paramref name="maxLength"/> keys on.</summary>
    public int RunEnd(int start, int maxLength)
    {
        var limit = (int)Math.Min((long)start + maxLength, Count);
        if (_order is null)
        {
            return limit;
        }

        var slot = _order[start] >> 32;
        var end = start + 1;
        while (end < limit && _order[end] >> 32 == slot)
        {
            end++;
        }

        return end;
    }

    public void Dispose()
    {
        if (_order is not null)
        {
            ArrayPool<long>.Shared.Return(_order);
        }
    }
}

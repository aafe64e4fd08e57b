namespace Granary.Governance;

/// <summary>
/// The uses of one (feature service snapshot, model) since the last flush, and the latest time of one. Lock-free: the
/// request path adds, the flush takes; a retired counter (removed from the recorder's dictionary) refuses adds so the
/// caller counts on a fresh one and no use is lost between removal and the last take.
/// </summary>
internal sealed class UseCounter
{
    // Far below any real count: an add that sees a negative result knows the counter is retired.
    private const long Retired = long.MinValue / 2;

    private long _count;
    private long _lastTicks;

    /// <summary>Counts one use at <paramref name="utcTicks"/>; false when the counter is retired.</summary>
    public bool Add(long utcTicks)
    {
        if (Interlocked.Increment(ref _count) < 0)
        {
            return false;
        }

        // The latest wins; a racing earlier time can only lower it within the same flush interval.
        var seen = Volatile.Read(ref _lastTicks);
        while (utcTicks > seen)
        {
            var was = Interlocked.CompareExchange(ref _lastTicks, utcTicks, seen);
            if (was == seen)
            {
                break;
            }

            seen = was;
        }

        return true;
    }

    /// <summary>The uses counted since the previous take, and the latest time among all uses so far.</summary>
    public (long Count, long LastTicks) Take() => (Interlocked.Exchange(ref _count, 0), Volatile.Read(ref _lastTicks));

    /// <summary>Retires the counter, returning what was counted since the previous take.</summary>
    public (long Count, long LastTicks) Retire() => (Interlocked.Exchange(ref _count, Retired), Volatile.Read(ref _lastTicks));
}

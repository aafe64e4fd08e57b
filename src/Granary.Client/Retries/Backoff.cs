namespace Granary.Client.Retries;

/// <summary>
/// Exponential backoff with full jitter (AWS's "Exponential Backoff and Jitter"): before retry <c>n</c> (0-based) the
/// client waits a uniformly random time in [0, min(max, base · 2ⁿ)), so that clients failed by the same outage do
/// not come back in step.
/// </summary>
internal sealed class Backoff
{
    private readonly TimeSpan _base;
    private readonly TimeSpan _max;
    private readonly Func<double> _random;

    public Backoff(TimeSpan baseDelay, TimeSpan maxDelay, Func<double>? random = null)
    {
        _base = baseDelay < TimeSpan.Zero ? TimeSpan.Zero : baseDelay;
        _max = maxDelay < _base ? _base : maxDelay;
        _random = random ?? SharedRandom;
    }

    /// <summary>The delay's upper bound before retry <paramref name="retry"/>: base · 2^retry, capped at the maximum.</summary>
    public TimeSpan Bound(int retry)
    {
        // Past 2^30 the doubling only overflows; the cap has long been reached by then for any sensible base.
        var factor = Math.Pow(2, Math.Min(Math.Max(retry, 0), 30));
        var ticks = _base.Ticks * factor;
        return ticks >= _max.Ticks ? _max : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>A delay drawn uniformly in [0, <see cref="Bound"/>).</summary>
    public TimeSpan Delay(int retry)
    {
        var sample = _random();
        if (!(sample >= 0 && sample < 1))
        {
            sample = 0;
        }

        return TimeSpan.FromTicks((long)(Bound(retry).Ticks * sample));
    }

    private static double SharedRandom()
    {
#if NET
        return Random.Shared.NextDouble();
#else
        lock (s_lock)
        {
            return s_random.NextDouble();
        }
#endif
    }

#if !NET
    private static readonly object s_lock = new();
    private static readonly Random s_random = new();
#endif
}

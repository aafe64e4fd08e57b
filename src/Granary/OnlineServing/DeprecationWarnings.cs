using System.Collections.Concurrent;
using Granary.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Granary.OnlineServing;

/// <summary>
/// The warning that a deprecated feature was served: at most once an hour per (caller, feature), by the store's clock,
/// so a caller that keeps reading a deprecated feature is told without flooding the log. Only queries that read a
/// deprecated feature come here.
/// </summary>
internal sealed class DeprecationWarnings(TimeProvider time, ILogger logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>Past this many remembered (caller, feature) pairs, those warned over an hour ago are forgotten.</summary>
    private const int PruneAbove = 10_000;

    /// <summary>Who reads when the request names no caller: an in-process application.</summary>
    public const string LocalCaller = "local";

    private readonly ConcurrentDictionary<(string Caller, string Feature), long> _lastWarned = new();

    public void Served(string[] features, string? caller)
    {
        caller ??= LocalCaller;
        var now = time.GetUtcNow().UtcTicks;
        foreach (var feature in features)
        {
            var key = (caller, feature);
            if (_lastWarned.TryGetValue(key, out var last))
            {
                // Compare-and-set: of concurrent requests after the hour, exactly one warns.
                if (now - last < Interval.Ticks || !_lastWarned.TryUpdate(key, now, last))
                {
                    continue;
                }
            }
            else if (!_lastWarned.TryAdd(key, now))
            {
                continue;
            }
            else if (_lastWarned.Count > PruneAbove)
            {
                Prune(now);
            }

            FeatureStoreLog.ServedDeprecated(logger, feature, caller);
        }
    }

    private void Prune(long now)
    {
        foreach (var (key, last) in _lastWarned)
        {
            if (now - last >= Interval.Ticks)
            {
                _lastWarned.TryRemove(new KeyValuePair<(string, string), long>(key, last));
            }
        }
    }
}

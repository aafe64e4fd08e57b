using Granary.Offline;

namespace Granary.Monitoring;

/// <summary>
/// Deletes what <c>monitoring.serving_log_retention</c> no longer keeps from a view's serving log, at most once per
/// <see cref="Interval"/> per view: the first flush of a view deletes, later flushes only once the interval has passed
/// on the store's clock.
/// </summary>
/// <remarks>
/// Why not after every flush: a busy server flushes every few seconds, and a delete lists (DuckDB) or scans the index
/// of (PostgreSQL) the whole log while the cut-off has moved by seconds. A 24th of the retention, and never more than an
/// hour, keeps at most that much beyond the retention. Only the serving log's one background writer calls it.
/// </remarks>
internal sealed class ServingLogRetention
{
    private static readonly TimeSpan LongestInterval = TimeSpan.FromHours(1);

    private readonly TimeSpan _retention;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, DateTimeOffset> _lastDeleted = new(StringComparer.Ordinal);

    public ServingLogRetention(TimeSpan retention, TimeProvider time)
    {
        _retention = retention;
        _time = time;
        var share = retention / 24;
        Interval = share < LongestInterval ? share : LongestInterval;
    }

    /// <summary>The least time between two deletes of one view's log: min(retention / 24, 1 h).</summary>
    public TimeSpan Interval { get; }

    /// <summary>Deletes the rows served before now − retention when the view's interval has passed; returns whether it did.</summary>
    public async Task<bool> DeleteIfDueAsync(IServingLog log, ServingLogTable table, CancellationToken cancellationToken)
    {
        if (_retention <= TimeSpan.Zero)
        {
            return false;
        }

        var now = _time.GetUtcNow();
        if (_lastDeleted.TryGetValue(table.View, out var last) && now - last < Interval)
        {
            return false;
        }

        // Recorded only once the delete succeeded, so a failed one is tried again on the next flush.
        await log.DeleteOlderThanAsync(table, now - _retention, cancellationToken);
        _lastDeleted[table.View] = now;
        return true;
    }
}

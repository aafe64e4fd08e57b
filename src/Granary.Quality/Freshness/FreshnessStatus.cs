namespace Granary.Quality.Freshness;

/// <summary>How recent a view's newest event is against its <c>freshness</c> expectation.</summary>
public enum FreshnessStatus
{
    /// <summary>The newest event is at most the expectation's fresh age old.</summary>
    Fresh,

    /// <summary>Older than fresh, at most the stale age.</summary>
    Stale,

    /// <summary>Older than the stale age, or nothing has been written for the view.</summary>
    VeryStale,
}

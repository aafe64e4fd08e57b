using Granary.Core.Model;

namespace Granary.Quality.Freshness;

/// <summary>Classes a view's age by its expectation: fresh up to <see cref="FreshnessExpectation.Fresh"/>, stale up to <see cref="FreshnessExpectation.Stale"/>, very stale past it.</summary>
internal static class FreshnessClassifier
{
    /// <summary>The status of a view whose newest event is <paramref name="age"/> old; a view never written (null) is very stale.</summary>
    public static FreshnessStatus Classify(TimeSpan? age, FreshnessExpectation expectation)
    {
        ArgumentNullException.ThrowIfNull(expectation);
        if (age is not { } value)
        {
            return FreshnessStatus.VeryStale;
        }

        // An event time ahead of the clock (a producer's skewed clock) is as fresh as can be, not an error.
        if (value <= expectation.Fresh)
        {
            return FreshnessStatus.Fresh;
        }

        return value <= expectation.Stale ? FreshnessStatus.Stale : FreshnessStatus.VeryStale;
    }

    /// <summary>The status as the API, the CLI and alerts spell it: <c>fresh</c>, <c>stale</c>, <c>very_stale</c>.</summary>
    public static string Key(this FreshnessStatus status) => status switch
    {
        FreshnessStatus.Fresh => "fresh",
        FreshnessStatus.Stale => "stale",
        _ => "very_stale",
    };
}

using Granary.Quality.Validation;

namespace Granary.Materialization;

/// <summary>What materializing one view did.</summary>
/// <param name="View">The view.</param>
/// <param name="Start">The interval's start (inclusive).</param>
/// <param name="End">The interval's end (inclusive), now the view's watermark.</param>
/// <param name="Rows">Entity rows read from the offline engine (the latest per entity in the interval).</param>
/// <param name="Written">Records that replaced or created an online value (older ones are skipped: last write wins).</param>
/// <param name="Skipped">Rows without a complete entity key, which cannot be served.</param>
/// <param name="Elapsed">How long it took.</param>
public sealed record MaterializationResult(string View, DateTimeOffset Start, DateTimeOffset End, long Rows, long Written, long Skipped, TimeSpan Elapsed)
{
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Rows / Elapsed.TotalSeconds : Rows;

    /// <summary>
    /// What each validation rule of the view found in the rows read, with one example (entity and value); rows failing
    /// an <c>error</c> rule were not written, <c>warn</c> ones were. Empty when every row passed.
    /// </summary>
    public IReadOnlyList<RuleViolations> Validation { get; init; } = [];

    /// <summary>Rows not written because they fail an <c>error</c> validation rule (a row failing several counts once).</summary>
    public long Rejected { get; init; }
}

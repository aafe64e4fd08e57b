namespace Granary.Backfill;

/// <summary>What backfilling one stream feature view did.</summary>
/// <param name="View">The stream feature view.</param>
/// <param name="Start">The range's start (inclusive), as asked.</param>
/// <param name="End">The range's end (inclusive): the instant the loaded state is complete for.</param>
/// <param name="ReadFrom">
/// The earliest event time read: <paramref name="Start"/>, or later when no window at <paramref name="End"/> reaches
/// back that far (a view without a <c>lifetime</c> window needs only the events its longest window and ttl read).
/// </param>
/// <param name="Events">Logged events read and counted (duplicates not included).</param>
/// <param name="Duplicates">Logged events skipped because their key had already counted their event id.</param>
/// <param name="Skipped">Logged events without a complete entity key, which no key can count.</param>
/// <param name="Keys">Entity keys whose state was replaced by the backfilled one.</param>
/// <param name="SourceWatermark">The source's lateness watermark afterwards (the newest event time it has seen), or null when it has none.</param>
/// <param name="Elapsed">How long it took.</param>
public sealed record BackfillResult(
    string View,
    DateTimeOffset Start,
    DateTimeOffset End,
    DateTimeOffset ReadFrom,
    long Events,
    long Duplicates,
    long Skipped,
    long Keys,
    DateTimeOffset? SourceWatermark,
    TimeSpan Elapsed)
{
    /// <summary>
    /// Whether the source delivered events later than <see cref="End"/> while the backfill ran: keys those events
    /// updated before the backfill wrote them lost them; a second backfill with a later end counts them.
    /// </summary>
    public bool SourceMovedPastEnd => SourceWatermark > End;

    public double EventsPerSecond => Elapsed.TotalSeconds > 0 ? (Events + Duplicates) / Elapsed.TotalSeconds : Events + Duplicates;
}

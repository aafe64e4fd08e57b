namespace Granary.Streams;

/// <summary>What the consumer of one stream source did since it started, for the summary lines of <c>granary stream run</c>.</summary>
/// <param name="Source">The source's name in the definitions.</param>
/// <param name="Applied">Events counted into aggregates, summed over the source's views.</param>
/// <param name="Duplicates">Events skipped because their id was already counted (redeliveries, replays), summed over views.</param>
/// <param name="Late">Events rejected as later than <c>allowed_lateness</c>: neither logged nor applied.</param>
/// <param name="DeadLettered">Malformed messages acknowledged without being applied; each is logged with its id.</param>
public sealed record StreamSourceCounts(string Source, long Applied, long Duplicates, long Late, long DeadLettered)
{
    /// <summary>Events dropped because they fail an <c>error</c> validation rule of a view's event columns: neither logged nor applied; each rule logged with an example.</summary>
    public long Invalid { get; init; }
}

using Granary.Streaming.Ingest;

namespace Granary.Streams;

/// <summary>
/// The one order in which stream events become durable, for push and for the consumers alike: judge lateness once
/// for the whole source, hand the verdict to the caller to log the accepted events offline (and write whatever else
/// must land before the aggregates), then apply them to the online aggregate state. A crash between the steps leaves
/// an event logged but not applied, never applied but not logged: redelivered, it is skipped online by its id and
/// deduplicated offline by its <c>event_id_field</c>.
/// </summary>
internal static class JudgedIngest
{
    /// <param name="ingestor">The source's ingestor.</param>
    /// <param name="events">The batch as each view takes it (<c>events[v][i]</c>), as <see cref="StreamIngestor.ApplyAsync(IReadOnlyList{IReadOnlyList{Streaming.Events.StreamEvent}}, LatenessVerdict, CancellationToken)"/>.</param>
    /// <param name="beforeApply">Called with the verdict before anything is applied: the place to log the accepted events.</param>
    /// <param name="cancellationToken">Cancels the whole sequence.</param>
    public static async Task<StreamIngestResult> RunAsync(
        StreamIngestor ingestor, IReadOnlyList<IReadOnlyList<Streaming.Events.StreamEvent>> events, Func<LatenessVerdict, Task> beforeApply, CancellationToken cancellationToken)
    {
        var first = events[0];
        var times = new long[first.Count];
        for (var i = 0; i < times.Length; i++)
        {
            times[i] = first[i].EventMicros;
        }

        var verdict = await ingestor.JudgeAsync(times, cancellationToken).ConfigureAwait(false);
        await beforeApply(verdict).ConfigureAwait(false);
        return await ingestor.ApplyAsync(events, verdict, cancellationToken).ConfigureAwait(false);
    }
}

namespace Granary.Streaming.Ingest;

/// <summary>
/// What one batch did to the views of its source: events counted (summed over views), events whose id a view had
/// already counted, and the events rejected as later than a view's allowed lateness; <see cref="LateRows"/> counts
/// each event once, however many views rejected it.
/// </summary>
internal sealed record StreamIngestResult(int Applied, int Duplicates, int LateRows, int LateRejections);

namespace Granary.Streaming.Ingest;

/// <summary>
/// What one batch did to the views of its source: events counted and events skipped because their id had been
/// counted (both summed over views), the events rejected as late (<see cref="LateRows"/>, each once; every view
/// rejects the same ones), and the rejections summed over views.
/// </summary>
internal sealed record StreamIngestResult(int Applied, int Duplicates, int LateRows, int LateRejections);

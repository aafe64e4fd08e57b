namespace Granary.Streaming.Ingest;

/// <summary>
/// Which events of a batch are later than their source allows (<see cref="Late"/>, in batch order), how many, and the
/// newest event time of the source once the batch is applied (what its watermark advances to).
/// </summary>
internal sealed record LatenessVerdict(bool[] Late, int LateRows, long NewestMicros);

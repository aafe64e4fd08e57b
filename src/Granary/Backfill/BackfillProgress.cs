namespace Granary.Backfill;

/// <summary>How far the backfill of one stream feature view has come.</summary>
/// <param name="View">The view being backfilled.</param>
/// <param name="Events">Logged events read so far whose keys' state is written.</param>
/// <param name="Total">Logged events to read in all.</param>
public readonly record struct BackfillProgress(string View, long Events, long Total);

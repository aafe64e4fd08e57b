namespace Granary.Materialization;

/// <summary>How far the materialization of one view has come.</summary>
/// <param name="View">The view being loaded.</param>
/// <param name="Rows">Entity rows written so far.</param>
/// <param name="Total">Entity rows to write in all (the entities with a value in the interval).</param>
public readonly record struct MaterializationProgress(string View, long Rows, long Total);

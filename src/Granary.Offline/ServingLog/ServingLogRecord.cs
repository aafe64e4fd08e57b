namespace Granary.Offline;

/// <summary>One served row of a view's serving log.</summary>
/// <param name="Keys">The join key values, aligned with <see cref="ServingLogTable.JoinKeys"/>.</param>
/// <param name="ServedAt">When the row was served.</param>
/// <param name="Values">Each feature's served value (null where none was), aligned with <see cref="ServingLogTable.Features"/>.</param>
/// <param name="Found">Whether each feature was found; null for a feature the request did not ask for.</param>
public sealed record ServingLogRecord(IReadOnlyList<object?> Keys, DateTimeOffset ServedAt, IReadOnlyList<object?> Values, IReadOnlyList<bool?> Found);

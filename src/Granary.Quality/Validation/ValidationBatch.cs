using Granary.Core.Values;

namespace Granary.Quality.Validation;

/// <summary>
/// Rows to validate, row-major in one array of cells as the write paths hold them: per row, the join keys then the
/// columns of the validator's layout (<see cref="RowValidator.Columns"/>), <see cref="Stride"/> cells apart, and each
/// row's event time (for <c>unique</c>, per entity and event time).
/// </summary>
internal readonly record struct ValidationBatch(FeatureValue[] Cells, int Stride, int Count, long[] EventMicros)
{
    /// <summary>
    /// Per row, whether another row of its entity has its event time, when someone else knows (the engine, for the
    /// latest rows materialization reads); <c>unique</c> then takes it instead of grouping the batch's rows.
    /// </summary>
    public bool[]? Tied { get; init; }

    public int First(int row) => row * Stride;
}

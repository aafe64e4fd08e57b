using Granary.Core.Values;

namespace Granary.Materialization;

/// <summary>
/// Rows read from the engine and not yet encoded, column by column as the reader delivered them: per row, the join
/// keys then the features in <see cref="Cells"/> (typed, not yet checked), the driver's object in <see cref="Boxed"/>
/// for the columns whose type needs converting, and the event and created times. A fixed number of batches circulate
/// between the reading and encoding stages and are refilled, so neither memory nor large-object allocations grow
/// with the interval.
/// </summary>
internal sealed class RowBatch
{
    public RowBatch(int capacity, int cellsPerRow, bool boxed, bool ties = false)
    {
        Tied = ties ? new bool[capacity] : null;
        Capacity = capacity;
        CellsPerRow = cellsPerRow;
        Cells = new FeatureValue[capacity * cellsPerRow];
        Boxed = boxed ? new object?[capacity * cellsPerRow] : null;
        EventMicros = new long[capacity];
        CreatedMicros = new long[capacity];
    }

    public int Capacity { get; }

    public int CellsPerRow { get; }

    /// <summary>Row <c>r</c>'s cells start at <c>r * CellsPerRow</c>: join keys, then features.</summary>
    public FeatureValue[] Cells { get; }

    /// <summary>Where a column is converted rather than read typed: the value as the driver gave it (null when none is).</summary>
    public object?[]? Boxed { get; }

    public long[] EventMicros { get; }

    public long[] CreatedMicros { get; }

    /// <summary>
    /// Per row, whether the engine found another source row of its entity at its event time (asked for by a
    /// <c>unique</c> rule, see <see cref="Offline.Retrieval.LatestValuesRequest.CountTies"/>); null when not asked.
    /// </summary>
    public bool[]? Tied { get; }

    /// <summary>Rows held.</summary>
    public int Count { get; set; }

    /// <summary>Rows read from the engine up to the end of this batch, those skipped for an incomplete key included.</summary>
    public long RowsRead { get; set; }

    public bool IsFull => Count == Capacity;

    /// <summary>Empties the batch for refilling; strings stay referenced until overwritten, which the fixed pool bounds.</summary>
    public void Reset()
    {
        Count = 0;
        RowsRead = 0;
    }
}

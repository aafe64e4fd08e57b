using System.Collections;
using Granary.Core.Values;

namespace Granary.OnlineServing;

/// <summary>
/// The answer, column-major as Feast's: <see cref="FeatureNames"/> lists the join keys then the features, and
/// <see cref="Results"/> holds one column per name with a value, status and event time per entity.
/// </summary>
/// <remarks>
/// Values, statuses and event times live in flat arrays, column after column, not three arrays per column: a
/// 1-entity request for 10 features is then a handful of allocations rather than forty. A large answer is split into
/// blocks of whole columns, each small enough to stay off the large object heap, whose collections are gen2's.
/// </remarks>
public sealed class OnlineFeaturesResponse
{
    // 3,000 values of 24 bytes: 72 KB, under the 85 KB at which arrays go to the large object heap.
    private const int CellsPerBlock = 3_000;

    private readonly int _columnsPerBlock;
    private readonly FeatureValue[][] _values;
    private readonly FeatureStatus[][] _statuses;
    private readonly long[][] _eventTimestamps;

    internal OnlineFeaturesResponse(IReadOnlyList<string> featureNames, int rowCount)
    {
        FeatureNames = featureNames;
        RowCount = rowCount;
        var columns = featureNames.Count;
        _columnsPerBlock = Math.Max(1, CellsPerBlock / Math.Max(1, rowCount));
        var blocks = (columns + _columnsPerBlock - 1) / _columnsPerBlock;
        _values = new FeatureValue[blocks][];
        _statuses = new FeatureStatus[blocks][];
        _eventTimestamps = new long[blocks][];
        for (var b = 0; b < blocks; b++)
        {
            var cells = Math.Min(_columnsPerBlock, columns - (b * _columnsPerBlock)) * rowCount;
            _values[b] = new FeatureValue[cells];
            _statuses[b] = new FeatureStatus[cells];
            _eventTimestamps[b] = new long[cells];
        }

        Results = new ColumnList(this);
    }

    /// <summary>
    /// The columns' names. Every answer to one shape of request shares one list (the query's), so a wire writer can
    /// keep the names encoded for its format per list.
    /// </summary>
    public IReadOnlyList<string> FeatureNames { get; private set; }

    /// <summary>The experiment and variant the answer was served from; null for a request without an experiment.</summary>
    public ServedExperiment? Experiment { get; internal set; }

    /// <summary>The number of entities asked for: the length of every column.</summary>
    public int RowCount { get; }

    /// <summary>One column per name in <see cref="FeatureNames"/>, in the same order.</summary>
    public IReadOnlyList<OnlineFeatureColumn> Results { get; }

    /// <summary>The column named <paramref name="name"/>.</summary>
    public OnlineFeatureColumn this[string name]
    {
        get
        {
            for (var i = 0; i < FeatureNames.Count; i++)
            {
                if (FeatureNames[i] == name)
                {
                    return new OnlineFeatureColumn(this, i);
                }
            }

            throw new KeyNotFoundException($"No column '{name}' in the response.");
        }
    }

    /// <summary>Names the columns otherwise, as many as before: an experiment's answer keeps the names the request asked for.</summary>
    internal void Rename(IReadOnlyList<string> names)
    {
        if (names.Count != FeatureNames.Count)
        {
            throw new ArgumentException($"Expected {FeatureNames.Count} names, got {names.Count}.", nameof(names));
        }

        FeatureNames = names;
    }

    internal void Set(int column, int row, FeatureValue value, FeatureStatus status, long eventMicros)
    {
        var (block, cell) = (column / _columnsPerBlock, ((column % _columnsPerBlock) * RowCount) + row);
        _values[block][cell] = value;
        _statuses[block][cell] = status;
        _eventTimestamps[block][cell] = eventMicros;
    }

    internal Span<FeatureValue> Values(int column) => _values[column / _columnsPerBlock].AsSpan((column % _columnsPerBlock) * RowCount, RowCount);

    internal Span<FeatureStatus> Statuses(int column) => _statuses[column / _columnsPerBlock].AsSpan((column % _columnsPerBlock) * RowCount, RowCount);

    internal Span<long> EventTimestamps(int column) => _eventTimestamps[column / _columnsPerBlock].AsSpan((column % _columnsPerBlock) * RowCount, RowCount);

    private sealed class ColumnList(OnlineFeaturesResponse response) : IReadOnlyList<OnlineFeatureColumn>
    {
        public int Count => response.FeatureNames.Count;

        public OnlineFeatureColumn this[int index] => (uint)index < (uint)Count
            ? new OnlineFeatureColumn(response, index)
            : throw new ArgumentOutOfRangeException(nameof(index), index, $"The response has {Count} columns.");

        public IEnumerator<OnlineFeatureColumn> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return new OnlineFeatureColumn(response, i);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

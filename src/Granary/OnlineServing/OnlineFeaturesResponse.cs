using System.Collections;
using Granary.Values;

namespace Granary.OnlineServing;

/// <summary>
/// The answer, column-major as Feast's: <see cref="FeatureNames"/> lists the join keys then the features, and
/// <see cref="Results"/> holds one column per name with a value, status and event time per entity.
/// </summary>
/// <remarks>
/// Values, statuses and event times live in three flat arrays (column after column), not three arrays per column: a
/// 1-entity request for 10 features is then a handful of allocations rather than forty.
/// </remarks>
public sealed class OnlineFeaturesResponse
{
    private readonly FeatureValue[] _values;
    private readonly FeatureStatus[] _statuses;
    private readonly long[] _eventTimestamps;

    internal OnlineFeaturesResponse(IReadOnlyList<string> featureNames, int rowCount)
    {
        FeatureNames = featureNames;
        RowCount = rowCount;
        var cells = featureNames.Count * rowCount;
        _values = new FeatureValue[cells];
        _statuses = new FeatureStatus[cells];
        _eventTimestamps = new long[cells];
        Results = new ColumnList(this);
    }

    public IReadOnlyList<string> FeatureNames { get; }

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

    internal void Set(int column, int row, FeatureValue value, FeatureStatus status, long eventMicros)
    {
        var cell = (column * RowCount) + row;
        _values[cell] = value;
        _statuses[cell] = status;
        _eventTimestamps[cell] = eventMicros;
    }

    internal Span<FeatureValue> Values(int column) => _values.AsSpan(column * RowCount, RowCount);

    internal Span<FeatureStatus> Statuses(int column) => _statuses.AsSpan(column * RowCount, RowCount);

    internal Span<long> EventTimestamps(int column) => _eventTimestamps.AsSpan(column * RowCount, RowCount);

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

namespace Granary.Client;

/// <summary>
/// Rows of one feature view written straight into the online store (<c>POST /write-to-online-store</c>), given as
/// columns (<see cref="WithColumn{T}"/>) or as rows (<see cref="AddRow"/>). All or nothing.
/// </summary>
public sealed class WriteToOnlineStoreRequest
{
    private readonly ColumnTable _rows = new("write");

    public WriteToOnlineStoreRequest(string featureViewName)
    {
        ArgumentException.ThrowIfNullOrEmpty(featureViewName);
        FeatureViewName = featureViewName;
    }

    /// <summary>The feature view to write.</summary>
    public string FeatureViewName { get; }

    /// <summary>A key unique to this write: see <see cref="PushRequest.IdempotencyKey"/>.</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>How many rows are written.</summary>
    public int RowCount => _rows.RowCount;

    internal IReadOnlyList<ValueColumn> Columns => _rows.Columns;

    /// <summary>A column's values, one per row; every column needs as many values.</summary>
    public WriteToOnlineStoreRequest WithColumn<T>(string name, IEnumerable<T> values)
    {
        _rows.AddColumn(name, values);
        return this;
    }

    /// <summary>One row, by its columns' values; every row needs the same columns.</summary>
    public WriteToOnlineStoreRequest AddRow(params (string Column, object? Value)[] values)
    {
        _rows.AddRow(values);
        return this;
    }
}

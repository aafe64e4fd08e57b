namespace Granary.Client;

/// <summary>
/// Rows pushed to a push source (<c>POST /push</c>), given as columns (<see cref="WithColumn{T}"/>) or as rows
/// (<see cref="AddRow"/>): the join keys, the event timestamp column and the features. All or nothing: the server
/// checks every row before it writes any.
/// </summary>
public sealed class PushRequest
{
    private readonly ColumnTable _rows = new("push");

    public PushRequest(string pushSourceName)
    {
        ArgumentException.ThrowIfNullOrEmpty(pushSourceName);
        PushSourceName = pushSourceName;
    }

    /// <summary>The push source to push to.</summary>
    public string PushSourceName { get; }

    /// <summary>Where the rows go; the online store by default.</summary>
    public PushTarget To { get; set; } = PushTarget.Online;

    /// <summary>
    /// Write the rows that pass the views' <c>error</c> validation rules and drop the others (counted in
    /// <see cref="PushResult.RejectedRows"/>), instead of having the server refuse the whole push (422
    /// <c>unprocessable</c>). False by default.
    /// </summary>
    public bool AllowPartial { get; set; }

    /// <summary>
    /// A key unique to this push (a GUID, say): the server applies a push once per key and answers repeats with the
    /// first answer, which lets the client retry the push after a failure that may have reached the server. Without
    /// one, such a push is not retried.
    /// </summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>How many rows are pushed.</summary>
    public int RowCount => _rows.RowCount;

    internal IReadOnlyList<ValueColumn> Columns => _rows.Columns;

    /// <summary>A column's values, one per row; every column needs as many values.</summary>
    public PushRequest WithColumn<T>(string name, IEnumerable<T> values)
    {
        _rows.AddColumn(name, values);
        return this;
    }

    /// <summary>One row, by its columns' values; every row needs the same columns.</summary>
    public PushRequest AddRow(params (string Column, object? Value)[] values)
    {
        _rows.AddRow(values);
        return this;
    }
}

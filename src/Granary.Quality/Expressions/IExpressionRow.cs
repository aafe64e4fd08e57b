namespace Granary.Quality.Expressions;

/// <summary>
/// One row as a compiled expression reads it: typed getters by the ordinal of <see cref="BoundExpression.Columns"/>,
/// so a cell is read without boxing. A getter is called only when <see cref="IsNull"/> says false.
/// </summary>
internal interface IExpressionRow
{
    bool IsNull(int ordinal);

    long GetInt64(int ordinal);

    double GetDouble(int ordinal);

    string GetString(int ordinal);

    bool GetBoolean(int ordinal);

    /// <summary>A list column's items, a <c>float[]</c> or a <c>double[]</c>; asked only of rows whose expressions may read lists.</summary>
    Array GetList(int ordinal) => throw new NotSupportedException("This row has no list columns.");

    /// <summary>A timestamp column's value in microseconds since the Unix epoch, UTC; asked only of on-demand rows.</summary>
    long GetTimestampMicros(int ordinal) => throw new NotSupportedException("This row has no timestamp columns.");
}

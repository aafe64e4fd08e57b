using System.Globalization;
using Granary.Quality.Expressions;

namespace Granary.Tests.Quality.Validation;

/// <summary>A row of boxed cells for tests; ordinals follow the bound expression's columns, looked up by name.</summary>
internal sealed class ExpressionTestRow(BoundExpression bound, IReadOnlyDictionary<string, object?> cells) : IExpressionRow
{
    private object? Cell(int ordinal) => cells[bound.Columns[ordinal].Name];

    public bool IsNull(int ordinal) => Cell(ordinal) is null;

    public long GetInt64(int ordinal) => Convert.ToInt64(Cell(ordinal), CultureInfo.InvariantCulture);

    public double GetDouble(int ordinal) => Convert.ToDouble(Cell(ordinal), CultureInfo.InvariantCulture);

    public string GetString(int ordinal) => (string)Cell(ordinal)!;

    public bool GetBoolean(int ordinal) => (bool)Cell(ordinal)!;
}

namespace Granary.Quality.Expressions;

/// <summary>
/// What <c>zscore(x)</c> and <c>minmax(x)</c> scale a column with: its mean and sample standard deviation, its
/// minimum and maximum, from a stored profile. Null where the profile has none.
/// </summary>
internal readonly record struct ExpressionStatistics(double? Mean, double? StdDev, double? Min, double? Max)
{
    /// <summary>The columns that <c>zscore</c> and <c>minmax</c> calls in <paramref name="text"/> scale, in order of appearance, each once.</summary>
    /// <exception cref="ExpressionException">The text does not parse.</exception>
    public static IReadOnlyList<string> ScaledColumns(string text)
    {
        var columns = new List<string>();
        Collect(ExpressionParser.Parse(text), columns);
        return columns;
    }

    private static void Collect(ExpressionNode node, List<string> columns)
    {
        switch (node)
        {
            case CallNode call:
                if (call.Function is ExpressionFunctions.ZScore or ExpressionFunctions.MinMax && call.Arguments[0] is ColumnNode column && !columns.Contains(column.Name))
                {
                    columns.Add(column.Name);
                }

                foreach (var argument in call.Arguments)
                {
                    Collect(argument, columns);
                }

                break;
            case UnaryNode unary:
                Collect(unary.Operand, columns);
                break;
            case BinaryNode binary:
                Collect(binary.Left, columns);
                Collect(binary.Right, columns);
                break;
        }
    }
}

namespace Granary.Quality.Expressions;

/// <summary>
/// A parsed and type-checked expression: its tree with every node's type set, and the columns it reads, in the order
/// of <see cref="ColumnNode.Ordinal"/> (the order an <see cref="IExpressionRow"/> is asked for them).
/// </summary>
internal sealed record BoundExpression(string Text, ExpressionNode Root, IReadOnlyList<BoundColumn> Columns)
{
    public ExpressionValueType Type => Root.Type;

    /// <summary>Parses and type-checks <paramref name="text"/> against a schema (column name to type).</summary>
    /// <param name="text">The expression.</param>
    /// <param name="schema">The columns it may read.</param>
    /// <param name="onDemand">
    /// Whether the expression is an on-demand feature's, computed only in C#: then float list columns (embeddings),
    /// timestamp columns and the functions over them (<c>one_hot</c>, <c>dot</c>, <c>cosine</c>, <c>l2_norm</c>,
    /// <c>date_part</c>) are allowed. Validation rules, which the engines also run in SQL, read scalar columns.
    /// </param>
    /// <param name="statistics">
    /// The statistics zscore and minmax scale each column with, to compile the expression; null to check it only.
    /// </param>
    /// <exception cref="ExpressionException">A syntax or type mistake, with its column.</exception>
    public static BoundExpression Bind(
        string text, IReadOnlyDictionary<string, Core.Model.FeatureType> schema, bool onDemand = false, IReadOnlyDictionary<string, ExpressionStatistics>? statistics = null) =>
        new ExpressionBinder(schema, onDemand, statistics).Bind(text, ExpressionParser.Parse(text));

    /// <summary>As <see cref="Bind"/>, and requires a condition (a bool), as a validation rule's <c>expr</c> is.</summary>
    public static BoundExpression BindCondition(string text, IReadOnlyDictionary<string, Core.Model.FeatureType> schema)
    {
        var bound = Bind(text, schema);
        if (bound.Type is not ExpressionValueType.Bool and not ExpressionValueType.Null)
        {
            throw new ExpressionException($"The expression computes a {ExpressionBinder.Describe(bound.Type)}, not a condition; compare it, as in '{text} > 0'", 0);
        }

        return bound;
    }
}

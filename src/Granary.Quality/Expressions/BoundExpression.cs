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
    /// <param name="allowLists">
    /// Whether float list columns (embeddings) and the list functions (<c>one_hot</c>, <c>dot</c>, <c>cosine</c>,
    /// <c>l2_norm</c>) are allowed: on-demand features, computed in C#, allow them; validation rules, which the engines
    /// also run in SQL, do not.
    /// </param>
    /// <exception cref="ExpressionException">A syntax or type mistake, with its column.</exception>
    public static BoundExpression Bind(string text, IReadOnlyDictionary<string, Core.Model.FeatureType> schema, bool allowLists = false) =>
        new ExpressionBinder(schema, allowLists).Bind(text, ExpressionParser.Parse(text));

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

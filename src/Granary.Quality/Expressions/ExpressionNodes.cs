namespace Granary.Quality.Expressions;

/// <summary>
/// A node of an expression's syntax tree, with its 0-based offset in the text. The parser leaves <see cref="Type"/>
/// at <see cref="ExpressionValueType.Null"/>; <see cref="ExpressionBinder"/> returns a copy with every type set.
/// </summary>
internal abstract record ExpressionNode(int Position)
{
    public ExpressionValueType Type { get; init; }
}

/// <summary>A literal: a long, a double, a string, a bool or null.</summary>
internal sealed record LiteralNode(int Position, object? Value) : ExpressionNode(Position);

/// <summary>A column of the row; <see cref="Ordinal"/> is its index in the bound expression's column list.</summary>
internal sealed record ColumnNode(int Position, string Name) : ExpressionNode(Position)
{
    public int Ordinal { get; init; } = -1;
}

/// <summary><c>-x</c> or <c>not x</c>.</summary>
internal sealed record UnaryNode(int Position, ExpressionTokenKind Operator, ExpressionNode Operand) : ExpressionNode(Position);

/// <summary>Arithmetic, a comparison, <c>and</c> or <c>or</c>.</summary>
internal sealed record BinaryNode(int Position, ExpressionTokenKind Operator, ExpressionNode Left, ExpressionNode Right) : ExpressionNode(Position);

/// <summary>A call of one of <see cref="ExpressionFunctions.Names"/>, by its lower-case name.</summary>
internal sealed record CallNode(int Position, string Function, IReadOnlyList<ExpressionNode> Arguments) : ExpressionNode(Position)
{
    /// <summary>The statistics a zscore or minmax call scales with, set by the binder when it was given them; else null.</summary>
    public ExpressionStatistics? Statistics { get; init; }
}

/// <summary>A list of literals, <c>[0, 10, 100]</c>: only an argument of the functions that take one (bucketize's boundaries).</summary>
internal sealed record ListNode(int Position, IReadOnlyList<ExpressionNode> Items) : ExpressionNode(Position);

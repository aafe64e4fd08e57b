namespace Granary.Quality.Expressions;

/// <summary>One token of an expression: its kind, its text (the unquoted value for a string) and its 0-based offset.</summary>
internal readonly record struct ExpressionToken(ExpressionTokenKind Kind, string Text, int Position);

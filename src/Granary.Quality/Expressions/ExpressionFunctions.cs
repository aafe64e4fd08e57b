namespace Granary.Quality.Expressions;

/// <summary>The functions of the expression language, and how many arguments each takes.</summary>
internal static class ExpressionFunctions
{
    public const string Abs = "abs";
    public const string Ln = "ln";
    public const string Log1p = "log1p";
    public const string Coalesce = "coalesce";
    public const string IsNull = "is_null";
    public const string Length = "length";
    public const string Lower = "lower";

    public static IReadOnlyList<string> Names { get; } = [Abs, Ln, Log1p, Coalesce, IsNull, Length, Lower];

    /// <summary>The fewest and most arguments of <paramref name="function"/> (coalesce takes two or more).</summary>
    public static (int Min, int Max) Arity(string function) => function == Coalesce ? (2, int.MaxValue) : (1, 1);
}

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
    public const string Clip = "clip";
    public const string FillNull = "fill_null";
    public const string Bucketize = "bucketize";
    public const string HashBucket = "hash_bucket";
    public const string OneHot = "one_hot";
    public const string Dot = "dot";
    public const string Cosine = "cosine";
    public const string L2Norm = "l2_norm";
    public const string DatePart = "date_part";
    public const string ZScore = "zscore";
    public const string MinMax = "minmax";

    public static IReadOnlyList<string> Names { get; } = [Abs, Ln, Log1p, Coalesce, IsNull, Length, Lower, Clip, FillNull, Bucketize, HashBucket, OneHot, Dot, Cosine, L2Norm, DatePart, ZScore, MinMax];

    /// <summary>date_part's fields, in the order its error lists them; each is read in UTC.</summary>
    public static IReadOnlyList<string> DateParts { get; } = ["year", "month", "day", "hour", "minute", "second", "dow", "doy"];

    /// <summary>Whether <paramref name="function"/> takes a [list] of literals as its second argument.</summary>
    public static bool TakesLiteralList(string function) => function is Bucketize or OneHot;

    /// <summary>The fewest and most arguments of <paramref name="function"/> (coalesce takes two or more).</summary>
    public static (int Min, int Max) Arity(string function) => function switch
    {
        Coalesce => (2, int.MaxValue),
        Clip => (3, 3),
        FillNull or Bucketize or HashBucket or OneHot or Dot or Cosine or DatePart => (2, 2),
        _ => (1, 1),
    };
}

namespace Granary.Quality.Expressions;

/// <summary>
/// The operations compiled expressions call where SQL's meaning is not the CLR's: three-valued <c>and</c>/<c>or</c>/<c>not</c>,
/// division and logarithms that give null where SQL engines would fail (the SQL translation guards them the same way),
/// ordinal string order (as DuckDB, and PostgreSQL under <c>COLLATE "C"</c>) and length in code points.
/// </summary>
internal static class ExpressionRuntime
{
    public static bool? And(bool? left, bool? right) =>
        left == false || right == false ? false : left is null || right is null ? null : true;

    public static bool? Or(bool? left, bool? right) =>
        left == true || right == true ? true : left is null || right is null ? null : false;

    public static bool? Not(bool? value) => value is null ? null : !value.Value;

    public static double? Divide(double? left, double? right) =>
        left is null || right is null || right.Value == 0 ? null : left.Value / right.Value;

    public static double? Ln(double? value) => value > 0 ? Math.Log(value.Value) : null;

    public static double? Log1p(double? value) => value > -1 ? Math.Log(1 + value.Value) : null;

    public static long? Abs(long? value) => value is null ? null : Math.Abs(value.Value);

    public static double? Abs(double? value) => value is null ? null : Math.Abs(value.Value);

    public static int? Compare(string? left, string? right) =>
        left is null || right is null ? null : Math.Sign(CompareUtf8Order(left, right));

    public static long? Length(string? value)
    {
        if (value is null)
        {
            return null;
        }

        long runes = 0;
        foreach (var _ in value.EnumerateRunes())
        {
            runes++;
        }

        return runes;
    }

    public static string? Lower(string? value) => value?.ToLowerInvariant();

    /// <summary>Code-point order, which is the engines' byte order of UTF-8 (UTF-16 ordinal order differs past U+FFFF).</summary>
    private static int CompareUtf8Order(string left, string right)
    {
        var a = left.EnumerateRunes();
        var b = right.EnumerateRunes();
        while (true)
        {
            var hasA = a.MoveNext();
            var hasB = b.MoveNext();
            if (!hasA || !hasB)
            {
                return hasA == hasB ? 0 : hasA ? 1 : -1;
            }

            var byPoint = a.Current.Value.CompareTo(b.Current.Value);
            if (byPoint != 0)
            {
                return byPoint;
            }
        }
    }

}

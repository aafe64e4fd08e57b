using System.Collections;

namespace Granary.Consistency;

/// <summary>
/// Compares a served value with the offline value of the same feature at the same instant. Values arrive as the CLR
/// objects both paths produce (<see cref="Core.Values.FeatureValue.ToObject"/> online, reader columns offline), whose
/// numeric widths can differ for the same feature (an Int32 feature may come back as a long), so numbers compare by
/// value, not by type.
/// </summary>
internal static class ValueAgreement
{
    /// <summary>The relative tolerance for floating-point values: Parquet, PostgreSQL and the online encoding round-trip
    /// doubles exactly, so anything looser would hide real differences; this only absorbs float32 widening noise in
    /// sums computed by different engines.</summary>
    public const double RelativeTolerance = 1e-9;

    public static ConsistencyOutcome Compare(bool servedFound, object? served, object? offline)
    {
        var hasServed = servedFound && served is not null;
        var hasOffline = offline is not null;
        return (hasServed, hasOffline) switch
        {
            (false, false) => ConsistencyOutcome.NotCompared,
            (false, true) => ConsistencyOutcome.Missing,
            (true, false) => ConsistencyOutcome.Extra,
            _ => AreEqual(served!, offline!) ? ConsistencyOutcome.Match : ConsistencyOutcome.Mismatch,
        };
    }

    public static bool AreEqual(object left, object right)
    {
        if (IsFloating(left) || IsFloating(right))
        {
            return IsNumber(left) && IsNumber(right) && FloatsAgree(Convert.ToDouble(left, null), Convert.ToDouble(right, null));
        }

        if (IsInteger(left) && IsInteger(right))
        {
            return Convert.ToDecimal(left, null) == Convert.ToDecimal(right, null);
        }

        switch (left, right)
        {
            case (string a, string b):
                return string.Equals(a, b, StringComparison.Ordinal);
            case (byte[] a, byte[] b):
                return a.AsSpan().SequenceEqual(b);
            case (DateTimeOffset a, DateTimeOffset b):
                return a.UtcTicks == b.UtcTicks;
            case (DateTimeOffset a, DateTime b):
                return a.UtcTicks == AsUtc(b).Ticks;
            case (DateTime a, DateTimeOffset b):
                return AsUtc(a).Ticks == b.UtcTicks;
            case (DateTime a, DateTime b):
                return AsUtc(a).Ticks == AsUtc(b).Ticks;
            case (IList a, IList b):
                return ListsAgree(a, b);
            default:
                return left.Equals(right);
        }
    }

    public static bool FloatsAgree(double a, double b)
    {
        if (double.IsNaN(a) || double.IsNaN(b))
        {
            return double.IsNaN(a) && double.IsNaN(b);
        }

        if (a == b)
        {
            return true;
        }

        return Math.Abs(a - b) <= RelativeTolerance * Math.Max(Math.Abs(a), Math.Abs(b));
    }

    private static bool ListsAgree(IList a, IList b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            var (x, y) = (a[i], b[i]);
            if (x is null || y is null ? x is not null || y is not null : !AreEqual(x, y))
            {
                return false;
            }
        }

        return true;
    }

    private static DateTime AsUtc(DateTime value) => value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;

    private static bool IsFloating(object value) => value is float or double or decimal;

    private static bool IsInteger(object value) => value is sbyte or byte or short or ushort or int or uint or long or ulong;

    private static bool IsNumber(object value) => IsFloating(value) || IsInteger(value);
}

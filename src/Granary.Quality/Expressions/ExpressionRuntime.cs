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

    /// <summary>
    /// <paramref name="value"/> held within [lo, hi]; a null bound is no bound (as the engines' GREATEST and LEAST skip
    /// nulls), and with lo above hi the answer is hi, as LEAST(GREATEST(x, lo), hi) gives.
    /// </summary>
    public static double? Clip(double? value, double? lo, double? hi)
    {
        if (value is not { } v)
        {
            return null;
        }

        if (lo is { } l && v < l)
        {
            v = l;
        }

        return hi is { } h && v > h ? h : v;
    }

    /// <inheritdoc cref="Clip(double?, double?, double?)"/>
    public static long? Clip(long? value, long? lo, long? hi)
    {
        if (value is not { } v)
        {
            return null;
        }

        if (lo is { } l && v < l)
        {
            v = l;
        }

        return hi is { } h && v > h ? h : v;
    }

    /// <summary>How many of the ascending <paramref name="boundaries"/> are at or below <paramref name="value"/>: bucket 0 below the first.</summary>
    public static long? Bucketize(double? value, double[] boundaries)
    {
        if (value is not { } v)
        {
            return null;
        }

        int lo = 0, hi = boundaries.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (boundaries[mid] <= v)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>A list of 0s with a 1 where <paramref name="value"/> equals the category; all 0s for a value not listed; null for null.</summary>
    public static int[]? OneHot(string? value, string[] categories)
    {
        if (value is null)
        {
            return null;
        }

        var result = new int[categories.Length];
        for (var i = 0; i < categories.Length; i++)
        {
            if (string.Equals(categories[i], value, StringComparison.Ordinal))
            {
                result[i] = 1;
            }
        }

        return result;
    }

    /// <inheritdoc cref="OneHot(string?, string[])"/>
    public static int[]? OneHot(long? value, long[] categories)
    {
        if (value is not { } v)
        {
            return null;
        }

        var result = new int[categories.Length];
        for (var i = 0; i < categories.Length; i++)
        {
            if (categories[i] == v)
            {
                result[i] = 1;
            }
        }

        return result;
    }

    /// <summary>The dot product, summed in double precision; null when either is null or their lengths differ.</summary>
    public static double? Dot(Array? left, Array? right)
    {
        if (left is null || right is null || left.Length != right.Length)
        {
            return null;
        }

        var sum = 0.0;
        for (var i = 0; i < left.Length; i++)
        {
            sum += Item(left, i) * Item(right, i);
        }

        return sum;
    }

    /// <summary>The cosine similarity; null when either is null, all zeros, or their lengths differ.</summary>
    public static double? Cosine(Array? left, Array? right)
    {
        if (Dot(left, right) is not { } dot || L2Norm(left) is not { } a || L2Norm(right) is not { } b || a == 0 || b == 0)
        {
            return null;
        }

        return dot / (a * b);
    }

    /// <summary>The Euclidean length; null for null.</summary>
    public static double? L2Norm(Array? vector)
    {
        if (vector is null)
        {
            return null;
        }

        var sum = 0.0;
        for (var i = 0; i < vector.Length; i++)
        {
            var item = Item(vector, i);
            sum += item * item;
        }

        return Math.Sqrt(sum);
    }

    // The list columns expressions read are float32 or float64 lists; a float32 item is widened as a float32 column is.
    private static double Item(Array vector, int index) => vector is float[] floats ? floats[index] : ((double[])vector)[index];

    /// <summary>
    /// The part of a UTC timestamp (microseconds since the epoch) that <see cref="ExpressionFunctions.DateParts"/>
    /// names at <paramref name="field"/>: year, month, day, hour, minute, whole second, day of week (0 Sunday to
    /// 6 Saturday, as SQL's dow) and day of year (1 to 366).
    /// </summary>
    public static long? DatePart(long? micros, int field)
    {
        if (micros is not { } value)
        {
            return null;
        }

        var time = Core.Time.UtcMicros.ToDateTimeOffset(value).UtcDateTime;
        return field switch
        {
            0 => time.Year,
            1 => time.Month,
            2 => time.Day,
            3 => time.Hour,
            4 => time.Minute,
            5 => time.Second,
            6 => (long)time.DayOfWeek,
            _ => time.DayOfYear,
        };
    }

    /// <summary>(x - mean) / stddev; null for null, and where the profile had no spread (a standard deviation of 0 or none).</summary>
    public static double? ZScore(double? value, double? mean, double? stdDev) =>
        value is { } v && mean is { } m && stdDev is { } s && s != 0 ? (v - m) / s : null;

    /// <summary>(x - min) / (max - min), 0 at the profile's minimum and 1 at its maximum (values outside go beyond); null where min = max or either is unknown.</summary>
    public static double? MinMax(double? value, double? min, double? max) =>
        value is { } v && min is { } lo && max is { } hi && hi != lo ? (v - lo) / (hi - lo) : null;

    /// <summary>The stable hash of the text (<see cref="Core.Values.StableHash"/>) modulo <paramref name="buckets"/>.</summary>
    public static long? HashBucket(string? value, long buckets) =>
        value is null ? null : (long)(Core.Values.StableHash.Of(value) % (ulong)buckets);

    /// <summary>The stable hash of the integer's decimal text (as <c>CAST(x AS VARCHAR)</c> writes it) modulo <paramref name="buckets"/>.</summary>
    public static long? HashBucket(long? value, long buckets)
    {
        if (value is not { } v)
        {
            return null;
        }

        Span<char> text = stackalloc char[20];
        v.TryFormat(text, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        return (long)(Core.Values.StableHash.Of(text[..written]) % (ulong)buckets);
    }

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

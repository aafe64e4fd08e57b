using System.Collections;
using System.Globalization;
using System.Numerics;
using Granary.Core.Model;
using Granary.Core.Time;

namespace Granary.Core.Values;

/// <summary>
/// Converts values as database drivers, JSON and gRPC deliver them (long, double, decimal, string, DateTime, lists...)
/// to typed <see cref="FeatureValue"/>s, widening where no information is lost and refusing where it would be. Every
/// write path (push, write-to-online-store, gRPC, the C# API, materialization) converts here, so what a store may
/// hold is decided in one place: integers never pass through a double that cannot hold them exactly, numbers are
/// numbers (never <c>"1,5"</c> or <c>true</c>), floats are finite, strings well-formed Unicode, and timestamps lie in
/// years 1 to 9999 (an integer timestamp is whole seconds since the Unix epoch, as in Feast).
/// </summary>
internal static class ClrValues
{
    // 2^53: below it, a whole double stands for one integer only; at and above it, for several.
    private const double MaxExactDouble = 9_007_199_254_740_992d;

    /// <summary>Converts <paramref name="value"/> (null or DBNull for a missing value) to <paramref name="type"/>.</summary>
    /// <exception cref="FormatException">The value cannot represent that type, or is one no store may hold.</exception>
    public static FeatureValue ToFeatureValue(object? value, FeatureType type)
    {
        if (value is null or DBNull)
        {
            return FeatureValue.Null(type);
        }

        if (!type.IsList)
        {
            return Scalar(value, type.Kind);
        }

        if (value is not IEnumerable items || value is string)
        {
            throw new FormatException($"expected a list, got {Describe(value)}");
        }

        var list = new List<object?>();
        foreach (var item in items)
        {
            list.Add(item);
        }

        Array array = type.Kind switch
        {
            ScalarKind.Int32 => new int[list.Count],
            ScalarKind.Int64 or ScalarKind.UnixTimestamp => new long[list.Count],
            ScalarKind.Float32 => new float[list.Count],
            ScalarKind.Float64 => new double[list.Count],
            ScalarKind.Bool => new bool[list.Count],
            ScalarKind.String => new string[list.Count],
            _ => new byte[list.Count][],
        };
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is null or DBNull)
            {
                throw new FormatException($"element {i}: list elements cannot be null");
            }

            FeatureValue element;
            try
            {
                element = Scalar(list[i]!, type.Kind);
            }
            catch (Exception e) when (e is FormatException or OverflowException or InvalidCastException)
            {
                throw new FormatException($"element {i}: {e.Message}", e);
            }

            array.SetValue(type.Kind == ScalarKind.UnixTimestamp ? element.AsTimestampMicros() : element.ToObject(), i);
        }

        return FeatureValue.List(type.Kind, array);
    }

    private static FeatureValue Scalar(object value, ScalarKind kind) => kind switch
    {
        ScalarKind.Int32 => FeatureValue.Int32(value is int i ? i : Int32(value)),
        ScalarKind.Int64 => FeatureValue.Int64(value is long l ? l : Integer(value)),
        ScalarKind.Float32 => FeatureValue.Float32(Finite(Float32(value), value)),
        ScalarKind.Float64 => FeatureValue.Float64(Finite(Float64(value), value)),
        ScalarKind.Bool => FeatureValue.Bool(value is bool b ? b : throw new FormatException($"expected true or false, got {Describe(value)}")),
        // Numbers and booleans read as their invariant text; a list or bytes is not a string.
        ScalarKind.String => FeatureValue.String(WellFormed(value switch
        {
            string text => text,
            IEnumerable => throw new FormatException($"expected a string, got {Describe(value)}"),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        })),
        ScalarKind.Bytes => FeatureValue.Bytes(value as byte[] ?? (value is string s ? Convert.FromBase64String(s) : throw new FormatException($"expected bytes, got {Describe(value)}"))),
        ScalarKind.UnixTimestamp => FeatureValue.Timestamp(value switch
        {
            DateTimeOffset dto => UtcMicros.From(dto),
            DateTime dt => UtcMicros.From(dt),
            string text => Iso8601(text),
            _ => UtcMicros.FromSeconds(Integer(value)),
        }),
        _ => throw new FormatException($"unknown kind {kind}"),
    };

    /// <summary>
    /// Integers come as any width (and as decimals from some drivers, or from JSON written with a fraction or exponent);
    /// a double only when it is a whole number small enough to be exact. Text is not a number here: the CLI's
    /// <c>user_id=42</c> is parsed as a key (<see cref="EntityKey.Part"/>).
    /// </summary>
    internal static long Integer(object value) => value switch
    {
        long l => l,
        int i => i,
        short s => s,
        sbyte b => b,
        byte b => b,
        ushort u => u,
        uint u => u,
        ulong u => u <= long.MaxValue ? (long)u : throw OutOfRange(value, "int64"),
        decimal m when decimal.Truncate(m) == m => m is >= long.MinValue and <= long.MaxValue ? (long)m : throw OutOfRange(value, "int64"),
        double d when Math.Truncate(d) == d && Math.Abs(d) < MaxExactDouble => (long)d,
        float f when MathF.Truncate(f) == f && Math.Abs(f) < MaxExactDouble => (long)f,
        BigInteger big when big >= long.MinValue && big <= long.MaxValue => (long)big,
        double or float => throw new FormatException($"{Describe(value)} is not a whole number an int64 holds exactly; send integers without a fraction or exponent"),
        BigInteger => throw OutOfRange(value, "int64"),
        _ => throw new FormatException($"expected an integer, got {Describe(value)}"),
    };

    private static int Int32(object value)
    {
        var whole = Integer(value);
        return whole is >= int.MinValue and <= int.MaxValue ? (int)whole : throw OutOfRange(value, "int32");
    }

    // Any number widens to a double, rounded once to the nearest: a decimal (a whole number written with a fraction,
    // 9007199254740993.0) through its exact digits, since Convert.ToDouble(decimal) divides by a power of ten after a
    // first rounding. Text and booleans are not numbers ("1,5" is not 15, true is not 1).
    private static double Float64(object value) => value switch
    {
        double d => d,
        float f => f,
        decimal m => double.Parse(m.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        long or int or short or sbyte or byte or ushort or uint or ulong or BigInteger => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        _ => throw new FormatException($"expected a number, got {Describe(value)}"),
    };

    // A number narrows to float32 by rounding once (integers and decimals directly, not through a double); one past
    // float32's range is refused rather than stored as infinity.
    private static float Float32(object value)
    {
        var narrowed = value switch
        {
            float f => f,
            long l => l,
            int i => i,
            ulong u => u,
            uint u => u,
            decimal m => float.Parse(m.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
            _ => (float)Float64(value),
        };
        var infiniteAlready = value is double d && double.IsInfinity(d) || value is float f32 && float.IsInfinity(f32);
        return float.IsInfinity(narrowed) && !infiniteAlready ? throw OutOfRange(value, "float32") : narrowed;
    }

    private static T Finite<T>(T number, object value)
        where T : IFloatingPointIeee754<T> =>
        T.IsFinite(number) ? number : throw new FormatException($"{Describe(value)} is not a finite number; NaN and infinities are not stored (send null for a missing value)");

    private static string WellFormed(string text) =>
        StrictText.IsWellFormed(text) ? text : throw new FormatException("the string is not valid Unicode (it has an unpaired surrogate)");

    private static long Iso8601(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? UtcMicros.From(parsed)
            : throw new FormatException($"'{text}' is not an ISO-8601 time (2026-11-01T12:00:00Z) between the years 1 and 9999");

    private static FormatException OutOfRange(object value, string type) => new($"{Describe(value)} is outside the range of {type}");

    private static string Describe(object value) => value switch
    {
        string text => $"the string \"{(StrictText.IsWellFormed(text) ? text : "(invalid Unicode)")}\"",
        bool b => b ? "true" : "false",
        IFormattable number => $"{number.ToString(null, CultureInfo.InvariantCulture)} ({value.GetType().Name})",
        _ => $"a {value.GetType().Name}",
    };
}

using System.Collections;
using System.Globalization;
using Granary.Errors;
using Granary.Model;
using Granary.Time;

namespace Granary.Values;

/// <summary>
/// Converts values as database drivers and JSON deliver them (long, double, decimal, string, DateTime, lists...) to
/// typed <see cref="FeatureValue"/>s, widening where no information is lost and refusing where it would be.
/// </summary>
public static class ClrValues
{
    /// <summary>Converts <paramref name="value"/> (null or DBNull for a missing value) to <paramref name="type"/>.</summary>
    /// <exception cref="FormatException">The value cannot represent that type.</exception>
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
            throw new FormatException($"expected a list, got {value.GetType().Name}");
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
                throw new FormatException("list elements cannot be null");
            }

            var element = Scalar(list[i]!, type.Kind);
            array.SetValue(type.Kind == ScalarKind.UnixTimestamp ? element.AsTimestampMicros() : element.ToObject(), i);
        }

        return FeatureValue.List(type.Kind, array);
    }

    private static FeatureValue Scalar(object value, ScalarKind kind)
    {
        var invariant = CultureInfo.InvariantCulture;
        return kind switch
        {
            ScalarKind.Int32 => FeatureValue.Int32(value is int i ? i : checked((int)Integer(value))),
            ScalarKind.Int64 => FeatureValue.Int64(value is long l ? l : Integer(value)),
            ScalarKind.Float32 => FeatureValue.Float32(value is float f ? f : Convert.ToSingle(value, invariant)),
            ScalarKind.Float64 => FeatureValue.Float64(value is double d ? d : Convert.ToDouble(value, invariant)),
            ScalarKind.Bool => FeatureValue.Bool(value is bool b ? b : Convert.ToBoolean(value, invariant)),
            // Numbers and booleans read as their invariant text; a list or bytes is not a string.
            ScalarKind.String => FeatureValue.String(value switch
            {
                string text => text,
                IEnumerable => throw new FormatException($"expected a string, got {value.GetType().Name}"),
                _ => Convert.ToString(value, invariant)!,
            }),
            ScalarKind.Bytes => FeatureValue.Bytes(value as byte[] ?? (value is string s ? Convert.FromBase64String(s) : throw new FormatException($"expected bytes, got {value.GetType().Name}"))),
            ScalarKind.UnixTimestamp => FeatureValue.Timestamp(value switch
            {
                DateTimeOffset dto => UtcMicros.From(dto),
                DateTime dt => UtcMicros.From(dt),
                string text => UtcMicros.From(DateTimeOffset.Parse(text, invariant, DateTimeStyles.AssumeUniversal)),
                _ => Integer(value),
            }),
            _ => throw new FormatException($"unknown kind {kind}"),
        };
    }

    // Integers come as any width (and as decimals from some drivers); a fractional value is not an integer.
    private static long Integer(object value) => value switch
    {
        long l => l,
        int i => i,
        short s => s,
        sbyte b => b,
        byte b => b,
        ushort u => u,
        uint u => u,
        ulong u => checked((long)u),
        decimal m when decimal.Truncate(m) == m => checked((long)m),
        double d when Math.Truncate(d) == d && !double.IsInfinity(d) => checked((long)d),
        float f when MathF.Truncate(f) == f && !float.IsInfinity(f) => checked((long)f),
        string text => long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture),
        System.Numerics.BigInteger big => checked((long)big),
        _ => throw new FormatException($"{Convert.ToString(value, CultureInfo.InvariantCulture)} ({value.GetType().Name}) is not an integer"),
    };
}

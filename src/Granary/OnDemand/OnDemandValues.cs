using System.Globalization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.OnDemand;

/// <summary>Conversions at the edges of an on-demand computation: request values in, computed values out in the feature's dtype.</summary>
internal static class OnDemandValues
{
    public static FeatureValue FromDouble(double? value, FeatureType type) => value is not { } v
        ? FeatureValue.Null(type)
        : type.Kind switch
        {
            ScalarKind.Float32 => FeatureValue.Float32((float)v),
            ScalarKind.Int64 => FeatureValue.Int64((long)v),
            ScalarKind.Int32 => FeatureValue.Int32((int)v),
            _ => FeatureValue.Float64(v),
        };

    public static FeatureValue FromInt64(long? value, FeatureType type) => value is not { } v
        ? FeatureValue.Null(type)
        : type.Kind switch
        {
            ScalarKind.Int32 => FeatureValue.Int32((int)v),
            ScalarKind.Float64 => FeatureValue.Float64(v),
            ScalarKind.Float32 => FeatureValue.Float32(v),
            _ => FeatureValue.Int64(v),
        };

    /// <summary>one_hot's indicators as a list of the feature's integer kind.</summary>
    public static FeatureValue FromIntList(int[]? items, FeatureType type) => items is null
        ? FeatureValue.Null(type)
        : type.Kind == ScalarKind.Int64 ? FeatureValue.List(ScalarKind.Int64, Array.ConvertAll(items, i => (long)i)) : FeatureValue.List(ScalarKind.Int32, items);

    /// <summary>A float list read from a column (a float[] or double[]) as a list of the feature's float kind.</summary>
    public static FeatureValue FromFloatList(Array? items, FeatureType type) => items switch
    {
        null => FeatureValue.Null(type),
        float[] floats when type.Kind == ScalarKind.Float64 => FeatureValue.List(ScalarKind.Float64, Array.ConvertAll(floats, f => (double)f)),
        double[] doubles when type.Kind == ScalarKind.Float32 => FeatureValue.List(ScalarKind.Float32, Array.ConvertAll(doubles, d => (float)d)),
        float[] floats => FeatureValue.List(ScalarKind.Float32, floats),
        _ => FeatureValue.List(ScalarKind.Float64, items),
    };

    /// <summary>A request value (as the HTTP or gRPC parser gives it) as a value of <paramref name="type"/>; the error names the field and row.</summary>
    public static FeatureValue FromRequest(object? value, FeatureType type, string field, int row)
    {
        if (value is null)
        {
            return FeatureValue.Null(type);
        }

        try
        {
            if (type.IsList)
            {
                return type.Kind is ScalarKind.Float32 or ScalarKind.Float64 && value is System.Collections.IEnumerable items and not string
                    ? FloatList(items, type)
                    : throw new InvalidCastException($"expected a {type}");
            }

            return type.Kind switch
            {
                ScalarKind.Int32 when value is not string and not bool => FeatureValue.Int32(Convert.ToInt32(value, CultureInfo.InvariantCulture)),
                ScalarKind.Int64 when value is not string and not bool => FeatureValue.Int64(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
                ScalarKind.Float32 when value is not string and not bool => FeatureValue.Float32(Convert.ToSingle(value, CultureInfo.InvariantCulture)),
                ScalarKind.Float64 when value is not string and not bool => FeatureValue.Float64(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
                ScalarKind.Bool when value is bool b => FeatureValue.Bool(b),
                ScalarKind.String when value is string s => FeatureValue.String(s),
                ScalarKind.UnixTimestamp => FeatureValue.Timestamp(TimestampMicros(value)),
                _ => throw new InvalidCastException($"expected a {type}"),
            };
        }
        catch (Exception e) when (e is InvalidCastException or OverflowException or FormatException)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"request_context.{field}[{row}]: {Describe(value)} is not a valid {type} ({e.Message}).");
        }
    }

    /// <summary>A request's embedding (a JSON array, a gRPC list value) as a list of the field's float kind; a null or non-number item is refused.</summary>
    private static FeatureValue FloatList(System.Collections.IEnumerable items, FeatureType type)
    {
        var values = new List<double>();
        foreach (var item in items)
        {
            values.Add(item is null or string or bool
                ? throw new InvalidCastException($"item {values.Count} is {(item is null ? "null" : Describe(item))}, not a number")
                : Convert.ToDouble(item, CultureInfo.InvariantCulture));
        }

        return type.Kind == ScalarKind.Float32
            ? FeatureValue.List(ScalarKind.Float32, values.ConvertAll(v => (float)v).ToArray())
            : FeatureValue.List(ScalarKind.Float64, values.ToArray());
    }

    /// <summary>
    /// A request's timestamp: whole seconds since the epoch, as Feast sends a UNIX_TIMESTAMP value, or an ISO 8601 text
    /// with an offset (2026-11-01T06:00:00Z).
    /// </summary>
    private static long TimestampMicros(object value) => value switch
    {
        string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) => Core.Time.UtcMicros.From(time),
        string => throw new FormatException("expected whole seconds since the Unix epoch or an ISO 8601 time such as 2026-11-01T06:00:00Z"),
        bool => throw new InvalidCastException("expected a unix_timestamp"),
        DateTimeOffset time => Core.Time.UtcMicros.From(time),
        _ => checked(Convert.ToInt64(value, CultureInfo.InvariantCulture) * 1_000_000),
    };

    private static string Describe(object value) => value switch
    {
        string s => $"'{s}'",
        bool b => b ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}

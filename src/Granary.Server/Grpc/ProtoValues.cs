using Google.Protobuf;
using Google.Protobuf.Collections;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.OnlineServing;
using Granary.Server.Grpc.V1;
using Granary.Core.Time;
using Granary.Core.Values;

namespace Granary.Server.Grpc;

/// <summary>
/// Converts between the wire's <see cref="Value"/> and Granary's values: incoming values become the CLR objects the
/// feature store converts and checks against the definitions (as it does JSON's), outgoing <see cref="FeatureValue"/>s
/// become typed <see cref="Value"/>s. Loops over arrays, no LINQ: this runs once per value of every call.
/// </summary>
internal static class ProtoValues
{
    /// <summary>Columns as the feature store takes them: name → one CLR value per row.</summary>
    /// <param name="map">The request's columns.</param>
    /// <param name="field">The request field, for error messages (<c>entities</c>, <c>columns</c>).</param>
    public static Dictionary<string, IReadOnlyList<object?>> ToColumns(MapField<string, RepeatedValue> map, string field)
    {
        var columns = new Dictionary<string, IReadOnlyList<object?>>(map.Count, StringComparer.Ordinal);
        foreach (var (name, column) in map)
        {
            var values = column?.Val;
            if (values is null || values.Count == 0)
            {
                columns[name] = [];
                continue;
            }

            var converted = new object?[values.Count];
            for (var i = 0; i < converted.Length; i++)
            {
                converted[i] = ToClr(values[i], field, name, i);
            }

            columns[name] = converted;
        }

        return columns;
    }

    /// <summary>
    /// One wire value as a CLR object: null, a scalar, <see cref="DateTimeOffset"/> for a timestamp (so it can also be
    /// logged to an offline source and is never mistaken for the epoch seconds a bare integer stands for), or an array
    /// of the element type (timestamps as <see cref="DateTimeOffset"/>s).
    /// </summary>
    public static object? ToClr(Value? value, string field, string column, int row)
    {
        if (value is null)
        {
            return null;
        }

        return value.ValCase switch
        {
            Value.ValOneofCase.None or Value.ValOneofCase.NullVal => null,
            Value.ValOneofCase.BytesVal => value.BytesVal.ToByteArray(),
            Value.ValOneofCase.StringVal => value.StringVal,
            Value.ValOneofCase.Int32Val => value.Int32Val,
            Value.ValOneofCase.Int64Val => value.Int64Val,
            Value.ValOneofCase.DoubleVal => value.DoubleVal,
            Value.ValOneofCase.FloatVal => value.FloatVal,
            Value.ValOneofCase.BoolVal => value.BoolVal,
            Value.ValOneofCase.UnixTimestampMicrosVal => Instant(value.UnixTimestampMicrosVal, field, column, row),
            Value.ValOneofCase.BytesListVal => Bytes(value.BytesListVal.Val),
            Value.ValOneofCase.StringListVal => Copy(value.StringListVal.Val),
            Value.ValOneofCase.Int32ListVal => Copy(value.Int32ListVal.Val),
            Value.ValOneofCase.Int64ListVal => Copy(value.Int64ListVal.Val),
            Value.ValOneofCase.DoubleListVal => Copy(value.DoubleListVal.Val),
            Value.ValOneofCase.FloatListVal => Copy(value.FloatListVal.Val),
            Value.ValOneofCase.BoolListVal => Copy(value.BoolListVal.Val),
            Value.ValOneofCase.UnixTimestampMicrosListVal => Instants(value.UnixTimestampMicrosListVal.Val, field, column, row),
            _ => throw new GranaryException(ErrorCodes.InvalidArgument, $"{field}.{column}[{row}]: unknown value kind {(int)value.ValCase}."),
        };
    }

    /// <summary>A response column, value by value.</summary>
    public static FeatureVector ToVector(OnlineFeatureColumn column)
    {
        var vector = new FeatureVector();
        var values = column.Values;
        vector.Values.Capacity = values.Length;
        for (var i = 0; i < values.Length; i++)
        {
            vector.Values.Add(ToProto(values[i]));
        }

        var statuses = column.Statuses;
        vector.Statuses.Capacity = statuses.Length;
        for (var i = 0; i < statuses.Length; i++)
        {
            vector.Statuses.Add(ToProto(statuses[i]));
        }

        var timestamps = column.EventTimestamps;
        vector.EventTimestamps.Capacity = timestamps.Length;
        for (var i = 0; i < timestamps.Length; i++)
        {
            vector.EventTimestamps.Add(timestamps[i]);
        }

        return vector;
    }

    public static FieldStatus ToProto(FeatureStatus status) => status switch
    {
        FeatureStatus.Present => FieldStatus.Present,
        FeatureStatus.NotFound => FieldStatus.NotFound,
        FeatureStatus.NullValue => FieldStatus.NullValue,
        _ => FieldStatus.OutsideMaxAge,
    };

    /// <summary>
    /// A value on the wire. Byte arrays are wrapped, not copied: decoded values are fresh arrays nobody else holds.
    /// </summary>
    public static Value ToProto(FeatureValue value)
    {
        if (value.IsNull)
        {
            return new Value { NullVal = Null.Null };
        }

        if (value.Type.IsList)
        {
            return ToProtoList(value.Type.Kind, value.AsList());
        }

        return value.Type.Kind switch
        {
            ScalarKind.Int32 => new Value { Int32Val = value.AsInt32() },
            ScalarKind.Int64 => new Value { Int64Val = value.AsInt64() },
            ScalarKind.Float32 => new Value { FloatVal = value.AsFloat32() },
            ScalarKind.Float64 => new Value { DoubleVal = value.AsFloat64() },
            ScalarKind.Bool => new Value { BoolVal = value.AsBool() },
            ScalarKind.Bytes => new Value { BytesVal = UnsafeByteOperations.UnsafeWrap(value.AsBytes()) },
            ScalarKind.UnixTimestamp => new Value { UnixTimestampMicrosVal = value.AsTimestampMicros() },
            _ => new Value { StringVal = value.AsString() },
        };
    }

    private static Value ToProtoList(ScalarKind kind, Array items)
    {
        switch (kind)
        {
            case ScalarKind.Int32:
                return new Value { Int32ListVal = new Int32List { Val = { (int[])items } } };
            case ScalarKind.Int64:
                return new Value { Int64ListVal = new Int64List { Val = { (long[])items } } };
            case ScalarKind.Float32:
                return new Value { FloatListVal = new FloatList { Val = { (float[])items } } };
            case ScalarKind.Float64:
                return new Value { DoubleListVal = new DoubleList { Val = { (double[])items } } };
            case ScalarKind.Bool:
                return new Value { BoolListVal = new BoolList { Val = { (bool[])items } } };
            case ScalarKind.UnixTimestamp:
                return new Value { UnixTimestampMicrosListVal = new Int64List { Val = { (long[])items } } };
            case ScalarKind.Bytes:
                var bytes = (byte[][])items;
                var list = new BytesList();
                list.Val.Capacity = bytes.Length;
                for (var i = 0; i < bytes.Length; i++)
                {
                    list.Val.Add(UnsafeByteOperations.UnsafeWrap(bytes[i]));
                }

                return new Value { BytesListVal = list };
            default:
                return new Value { StringListVal = new StringList { Val = { (string[])items } } };
        }
    }

    private static DateTimeOffset Instant(long micros, string field, string column, int row)
    {
        CheckRange(micros, field, column, row);
        return UtcMicros.ToDateTimeOffset(micros);
    }

    private static DateTimeOffset[] Instants(RepeatedField<long> micros, string field, string column, int row)
    {
        var items = new DateTimeOffset[micros.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = Instant(micros[i], field, column, row);
        }

        return items;
    }

    private static void CheckRange(long micros, string field, string column, int row)
    {
        if (!UtcMicros.IsRepresentable(micros))
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"{field}.{column}[{row}]: {micros} µs since the Unix epoch is outside the years 1 to 9999.");
        }
    }

    private static T[] Copy<T>(RepeatedField<T> items)
    {
        var array = new T[items.Count];
        items.CopyTo(array, 0);
        return array;
    }

    private static byte[][] Bytes(RepeatedField<ByteString> items)
    {
        var array = new byte[items.Count][];
        for (var i = 0; i < array.Length; i++)
        {
            array[i] = items[i].ToByteArray();
        }

        return array;
    }
}

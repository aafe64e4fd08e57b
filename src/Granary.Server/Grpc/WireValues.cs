using Google.Protobuf;
using Google.Protobuf.Collections;
using Granary.Core.Model;
using Granary.Core.Values;
using Granary.OnlineServing;

namespace Granary.Server.Grpc;

/// <summary>
/// Converts between a wire's generated <c>Value</c> (Feast's or Granary's, whose kinds share their field numbers, see
/// <see cref="WireCase"/>) and Granary's values, once for both: incoming values become the CLR objects the feature
/// store converts and checks against the definitions (as it does JSON's), outgoing <see cref="FeatureValue"/>s become
/// values of the declared type. <typeparamref name="TFormat"/> supplies what the two wires differ in. Loops over
/// arrays, no LINQ: this runs once per value of every call.
/// </summary>
internal static class WireValues<TValue, TColumn, TVector, TFormat>
    where TValue : class
    where TColumn : class
    where TFormat : struct, IWireValueFormat<TValue, TColumn, TVector>
{
    /// <summary>Columns as the feature store takes them: name → one CLR value per row.</summary>
    /// <param name="map">The request's columns.</param>
    /// <param name="field">The request field, for error messages (<c>entities</c>, <c>columns</c>).</param>
    public static Dictionary<string, IReadOnlyList<object?>> ToColumns(MapField<string, TColumn> map, string field)
    {
        var columns = new Dictionary<string, IReadOnlyList<object?>>(map.Count, StringComparer.Ordinal);
        foreach (var (name, column) in map)
        {
            var values = TFormat.Items(column);
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
    /// of the element type (timestamps as <see cref="DateTimeOffset"/>s). A kind Granary has no type for is refused
    /// with the field, column and row.
    /// </summary>
    public static object? ToClr(TValue? value, string field, string column, int row)
    {
        if (value is null)
        {
            return null;
        }

        return TFormat.CaseOf(value) switch
        {
            WireCase.None or WireCase.Null => null,
            WireCase.Bytes => TFormat.Bytes(value).ToByteArray(),
            WireCase.String => TFormat.String(value),
            WireCase.Int32 => TFormat.Int32(value),
            WireCase.Int64 => TFormat.Int64(value),
            WireCase.Double => TFormat.Double(value),
            WireCase.Float => TFormat.Float(value),
            WireCase.Bool => TFormat.Bool(value),
            WireCase.Timestamp => TFormat.Instant(TFormat.Timestamp(value), field, column, row),
            WireCase.BytesList => Bytes(TFormat.BytesList(value)),
            WireCase.StringList => Copy(TFormat.StringList(value)),
            WireCase.Int32List => Copy(TFormat.Int32List(value)),
            WireCase.Int64List => Copy(TFormat.Int64List(value)),
            WireCase.DoubleList => Copy(TFormat.DoubleList(value)),
            WireCase.FloatList => Copy(TFormat.FloatList(value)),
            WireCase.BoolList => Copy(TFormat.BoolList(value)),
            WireCase.TimestampList => Instants(TFormat.TimestampList(value), field, column, row),
            _ => throw TFormat.Unsupported(value, field, column, row),
        };
    }

    /// <summary>A response column, value by value: values, statuses and event times.</summary>
    public static TVector ToVector(OnlineFeatureColumn column)
    {
        var values = column.Values;
        var statuses = column.Statuses;
        var timestamps = column.EventTimestamps;
        var vector = TFormat.Vector(values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            TFormat.Add(vector, ToWire(values[i]), StatusNumber(statuses[i]), timestamps[i]);
        }

        return vector;
    }

    /// <summary>A status as Feast's <c>FieldStatus</c> numbers it, which granary.proto's <c>FieldStatus</c> keeps.</summary>
    public static int StatusNumber(FeatureStatus status) => status switch
    {
        FeatureStatus.Present => 1,
        FeatureStatus.NullValue => 2,
        FeatureStatus.NotFound => 3,
        _ => 4,
    };

    /// <summary>
    /// A value on the wire, of the declared type. Byte arrays are wrapped, not copied: decoded values are fresh arrays
    /// nobody else holds.
    /// </summary>
    public static TValue ToWire(FeatureValue value)
    {
        if (value.IsNull)
        {
            return TFormat.Null();
        }

        if (value.Type.IsList)
        {
            return ToWireList(value.Type.Kind, value.AsList());
        }

        return value.Type.Kind switch
        {
            ScalarKind.Int32 => TFormat.OfInt32(value.AsInt32()),
            ScalarKind.Int64 => TFormat.OfInt64(value.AsInt64()),
            ScalarKind.Float32 => TFormat.OfFloat(value.AsFloat32()),
            ScalarKind.Float64 => TFormat.OfDouble(value.AsFloat64()),
            ScalarKind.Bool => TFormat.OfBool(value.AsBool()),
            ScalarKind.Bytes => TFormat.OfBytes(UnsafeByteOperations.UnsafeWrap(value.AsBytes())),
            ScalarKind.UnixTimestamp => TFormat.OfTimestamp(TFormat.TimestampOnWire(value.AsTimestampMicros())),
            _ => TFormat.OfString(value.AsString()),
        };
    }

    private static TValue ToWireList(ScalarKind kind, Array items)
    {
        TValue value;
        switch (kind)
        {
            case ScalarKind.Int32:
                value = TFormat.OfInt32List(out var ints);
                ints.Add((int[])items);
                return value;
            case ScalarKind.Int64:
                value = TFormat.OfInt64List(out var longs);
                longs.Add((long[])items);
                return value;
            case ScalarKind.Float32:
                value = TFormat.OfFloatList(out var floats);
                floats.Add((float[])items);
                return value;
            case ScalarKind.Float64:
                value = TFormat.OfDoubleList(out var doubles);
                doubles.Add((double[])items);
                return value;
            case ScalarKind.Bool:
                value = TFormat.OfBoolList(out var bools);
                bools.Add((bool[])items);
                return value;
            case ScalarKind.UnixTimestamp:
                var micros = (long[])items;
                value = TFormat.OfTimestampList(out var times);
                times.Capacity = micros.Length;
                for (var i = 0; i < micros.Length; i++)
                {
                    times.Add(TFormat.TimestampOnWire(micros[i]));
                }

                return value;
            case ScalarKind.Bytes:
                var bytes = (byte[][])items;
                value = TFormat.OfBytesList(out var wrapped);
                wrapped.Capacity = bytes.Length;
                for (var i = 0; i < bytes.Length; i++)
                {
                    wrapped.Add(UnsafeByteOperations.UnsafeWrap(bytes[i]));
                }

                return value;
            default:
                value = TFormat.OfStringList(out var strings);
                strings.Add((string[])items);
                return value;
        }
    }

    // As instants, not bare integers: a bare integer in a timestamp list is read as seconds, and these are checked here.
    private static DateTimeOffset[] Instants(RepeatedField<long> onWire, string field, string column, int row)
    {
        var instants = new DateTimeOffset[onWire.Count];
        for (var i = 0; i < instants.Length; i++)
        {
            instants[i] = TFormat.Instant(onWire[i], field, column, row);
        }

        return instants;
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

using Feast.Serving;
using Feast.Types;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.OnlineServing;
using Granary.Core.Time;
using Granary.Core.Values;
using FeastValue = Feast.Types.Value;
using FeastVector = Feast.Serving.GetOnlineFeaturesResponse.Types.FeatureVector;

namespace Granary.Server.Grpc;

/// <summary>
/// Converts between Feast's <c>feast.types.Value</c> and Granary's values, as Feast's own servers do: timestamps in
/// values are whole seconds since the Unix epoch (<c>unix_timestamp_val</c>), event times are
/// <see cref="Timestamp"/>s. Incoming values become the CLR objects the feature store converts and checks against the
/// definitions, as it does JSON's. Loops over arrays, no LINQ: this runs once per value of every call.
/// </summary>
internal static class FeastValues
{
    private const long MicrosPerSecond = 1_000_000;

    /// <summary>Columns as the feature store takes them: name → one CLR value per row.</summary>
    /// <param name="map">The request's columns.</param>
    /// <param name="field">The request field, for error messages (<c>entities</c>).</param>
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
    /// One wire value as a CLR object: null, a scalar, <see cref="DateTimeOffset"/> for a timestamp, or an array of the
    /// element type (timestamps as <see cref="DateTimeOffset"/>s). Feast's kinds that Granary has no type for (maps,
    /// sets, JSON, UUIDs, decimals, ...) are refused with the field, column and row.
    /// </summary>
    public static object? ToClr(FeastValue? value, string field, string column, int row)
    {
        if (value is null)
        {
            return null;
        }

        return value.ValCase switch
        {
            FeastValue.ValOneofCase.None or FeastValue.ValOneofCase.NullVal => null,
            FeastValue.ValOneofCase.BytesVal => value.BytesVal.ToByteArray(),
            FeastValue.ValOneofCase.StringVal => value.StringVal,
            FeastValue.ValOneofCase.Int32Val => value.Int32Val,
            FeastValue.ValOneofCase.Int64Val => value.Int64Val,
            FeastValue.ValOneofCase.DoubleVal => value.DoubleVal,
            FeastValue.ValOneofCase.FloatVal => value.FloatVal,
            FeastValue.ValOneofCase.BoolVal => value.BoolVal,
            FeastValue.ValOneofCase.UnixTimestampVal => DateTimeOffset.FromUnixTimeSeconds(CheckSeconds(value.UnixTimestampVal, field, column, row)),
            FeastValue.ValOneofCase.BytesListVal => Bytes(value.BytesListVal.Val),
            FeastValue.ValOneofCase.StringListVal => Copy(value.StringListVal.Val),
            FeastValue.ValOneofCase.Int32ListVal => Copy(value.Int32ListVal.Val),
            FeastValue.ValOneofCase.Int64ListVal => Copy(value.Int64ListVal.Val),
            FeastValue.ValOneofCase.DoubleListVal => Copy(value.DoubleListVal.Val),
            FeastValue.ValOneofCase.FloatListVal => Copy(value.FloatListVal.Val),
            FeastValue.ValOneofCase.BoolListVal => Copy(value.BoolListVal.Val),
            FeastValue.ValOneofCase.UnixTimestampListVal => Instants(value.UnixTimestampListVal.Val, field, column, row),
            _ => throw new GranaryException(
                ErrorCodes.InvalidArgument,
                $"{field}.{column}[{row}]: Feast's {FeastValue.Descriptor.FindFieldByNumber((int)value.ValCase)?.Name ?? value.ValCase.ToString()} has no Granary type; send a scalar, a list of scalars or a unix timestamp."),
        };
    }

    /// <summary>A response column, value by value: values, statuses, and event times as <see cref="Timestamp"/>s.</summary>
    public static FeastVector ToVector(OnlineFeatureColumn column)
    {
        var vector = new FeastVector();
        var values = column.Values;
        vector.Values.Capacity = values.Length;
        for (var i = 0; i < values.Length; i++)
        {
            vector.Values.Add(ToFeast(values[i]));
        }

        var statuses = column.Statuses;
        vector.Statuses.Capacity = statuses.Length;
        for (var i = 0; i < statuses.Length; i++)
        {
            vector.Statuses.Add(ToFeast(statuses[i]));
        }

        var timestamps = column.EventTimestamps;
        vector.EventTimestamps.Capacity = timestamps.Length;
        for (var i = 0; i < timestamps.Length; i++)
        {
            vector.EventTimestamps.Add(ToTimestamp(timestamps[i]));
        }

        return vector;
    }

    public static FieldStatus ToFeast(FeatureStatus status) => status switch
    {
        FeatureStatus.Present => FieldStatus.Present,
        FeatureStatus.NotFound => FieldStatus.NotFound,
        FeatureStatus.NullValue => FieldStatus.NullValue,
        _ => FieldStatus.OutsideMaxAge,
    };

    /// <summary>Microseconds since the Unix epoch as a <see cref="Timestamp"/>; 0 (no value) is the epoch, as Feast sends it.</summary>
    public static Timestamp ToTimestamp(long micros)
    {
        var seconds = Math.DivRem(micros, MicrosPerSecond, out var rest);
        if (rest < 0)
        {
            seconds--;
            rest += MicrosPerSecond;
        }

        return new Timestamp { Seconds = seconds, Nanos = (int)rest * 1000 };
    }

    /// <summary>
    /// A value on the wire, of the declared type. Byte arrays are wrapped, not copied: decoded values are fresh arrays
    /// nobody else holds.
    /// </summary>
    public static FeastValue ToFeast(FeatureValue value)
    {
        if (value.IsNull)
        {
            return new FeastValue { NullVal = Null.Null };
        }

        if (value.Type.IsList)
        {
            return ToFeastList(value.Type.Kind, value.AsList());
        }

        return value.Type.Kind switch
        {
            ScalarKind.Int32 => new FeastValue { Int32Val = value.AsInt32() },
            ScalarKind.Int64 => new FeastValue { Int64Val = value.AsInt64() },
            ScalarKind.Float32 => new FeastValue { FloatVal = value.AsFloat32() },
            ScalarKind.Float64 => new FeastValue { DoubleVal = value.AsFloat64() },
            ScalarKind.Bool => new FeastValue { BoolVal = value.AsBool() },
            ScalarKind.Bytes => new FeastValue { BytesVal = UnsafeByteOperations.UnsafeWrap(value.AsBytes()) },
            ScalarKind.UnixTimestamp => new FeastValue { UnixTimestampVal = UtcMicros.ToSeconds(value.AsTimestampMicros()) },
            _ => new FeastValue { StringVal = value.AsString() },
        };
    }

    private static FeastValue ToFeastList(ScalarKind kind, Array items)
    {
        switch (kind)
        {
            case ScalarKind.Int32:
                return new FeastValue { Int32ListVal = new Int32List { Val = { (int[])items } } };
            case ScalarKind.Int64:
                return new FeastValue { Int64ListVal = new Int64List { Val = { (long[])items } } };
            case ScalarKind.Float32:
                return new FeastValue { FloatListVal = new FloatList { Val = { (float[])items } } };
            case ScalarKind.Float64:
                return new FeastValue { DoubleListVal = new DoubleList { Val = { (double[])items } } };
            case ScalarKind.Bool:
                return new FeastValue { BoolListVal = new BoolList { Val = { (bool[])items } } };
            case ScalarKind.UnixTimestamp:
                var micros = (long[])items;
                var seconds = new Int64List();
                seconds.Val.Capacity = micros.Length;
                for (var i = 0; i < micros.Length; i++)
                {
                    seconds.Val.Add(UtcMicros.ToSeconds(micros[i]));
                }

                return new FeastValue { UnixTimestampListVal = seconds };
            case ScalarKind.Bytes:
                var bytes = (byte[][])items;
                var list = new BytesList();
                list.Val.Capacity = bytes.Length;
                for (var i = 0; i < bytes.Length; i++)
                {
                    list.Val.Add(UnsafeByteOperations.UnsafeWrap(bytes[i]));
                }

                return new FeastValue { BytesListVal = list };
            default:
                return new FeastValue { StringListVal = new StringList { Val = { (string[])items } } };
        }
    }

    // As instants, not bare integers: a bare integer in a timestamp list is read as seconds, and these are checked here.
    private static DateTimeOffset[] Instants(RepeatedField<long> seconds, string field, string column, int row)
    {
        var instants = new DateTimeOffset[seconds.Count];
        for (var i = 0; i < instants.Length; i++)
        {
            instants[i] = DateTimeOffset.FromUnixTimeSeconds(CheckSeconds(seconds[i], field, column, row));
        }

        return instants;
    }

    private static long CheckSeconds(long seconds, string field, string column, int row)
    {
        // Years 1 to 9999, as every stored time; outside them a timestamp is refused, not wrapped around.
        if (seconds is < UtcMicros.MinSeconds or > UtcMicros.MaxSeconds)
        {
            throw new GranaryException(
                ErrorCodes.InvalidArgument,
                $"{field}.{column}[{row}]: {seconds} seconds since the Unix epoch is outside the years 1 to 9999; Feast's unix_timestamp_val is in seconds, not milliseconds.");
        }

        return seconds;
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

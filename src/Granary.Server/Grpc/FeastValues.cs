using Feast.Serving;
using Feast.Types;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Time;
using Granary.Core.Values;
using Granary.OnlineServing;
using FeastValue = Feast.Types.Value;
using FeastVector = Feast.Serving.GetOnlineFeaturesResponse.Types.FeatureVector;
using IFormat = Granary.Server.Grpc.IWireValueFormat<Feast.Types.Value, Feast.Types.RepeatedValue, Feast.Serving.GetOnlineFeaturesResponse.Types.FeatureVector>;
using Values = Granary.Server.Grpc.WireValues<Feast.Types.Value, Feast.Types.RepeatedValue, Feast.Serving.GetOnlineFeaturesResponse.Types.FeatureVector, Granary.Server.Grpc.FeastValues>;

namespace Granary.Server.Grpc;

/// <summary>
/// Feast's <c>feast.types.Value</c> for <see cref="WireValues{TValue, TColumn, TVector, TFormat}"/>, which converts
/// it as Feast's own servers do: timestamps in values are whole seconds since the Unix epoch
/// (<c>unix_timestamp_val</c>), event times are <see cref="Timestamp"/>s, and Feast's kinds that Granary has no type
/// for (maps, sets, JSON, UUIDs, decimals, ...) are refused.
/// </summary>
internal readonly struct FeastValues : IFormat
{
    private const long MicrosPerSecond = 1_000_000;

    /// <inheritdoc cref="WireValues{TValue, TColumn, TVector, TFormat}.ToColumns"/>
    public static Dictionary<string, IReadOnlyList<object?>> ToColumns(MapField<string, RepeatedValue> map, string field) => Values.ToColumns(map, field);

    /// <inheritdoc cref="WireValues{TValue, TColumn, TVector, TFormat}.ToClr"/>
    public static object? ToClr(FeastValue? value, string field, string column, int row) => Values.ToClr(value, field, column, row);

    /// <inheritdoc cref="WireValues{TValue, TColumn, TVector, TFormat}.ToVector"/>
    public static FeastVector ToVector(OnlineFeatureColumn column) => Values.ToVector(column);

    /// <inheritdoc cref="WireValues{TValue, TColumn, TVector, TFormat}.ToWire"/>
    public static FeastValue ToFeast(FeatureValue value) => Values.ToWire(value);

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

    static WireCase IFormat.CaseOf(FeastValue value) => (WireCase)value.ValCase;

    static RepeatedField<FeastValue>? IFormat.Items(RepeatedValue? column) => column?.Val;

    static ByteString IFormat.Bytes(FeastValue value) => value.BytesVal;

    static string IFormat.String(FeastValue value) => value.StringVal;

    static int IFormat.Int32(FeastValue value) => value.Int32Val;

    static long IFormat.Int64(FeastValue value) => value.Int64Val;

    static double IFormat.Double(FeastValue value) => value.DoubleVal;

    static float IFormat.Float(FeastValue value) => value.FloatVal;

    static bool IFormat.Bool(FeastValue value) => value.BoolVal;

    static long IFormat.Timestamp(FeastValue value) => value.UnixTimestampVal;

    static RepeatedField<ByteString> IFormat.BytesList(FeastValue value) => value.BytesListVal.Val;

    static RepeatedField<string> IFormat.StringList(FeastValue value) => value.StringListVal.Val;

    static RepeatedField<int> IFormat.Int32List(FeastValue value) => value.Int32ListVal.Val;

    static RepeatedField<long> IFormat.Int64List(FeastValue value) => value.Int64ListVal.Val;

    static RepeatedField<double> IFormat.DoubleList(FeastValue value) => value.DoubleListVal.Val;

    static RepeatedField<float> IFormat.FloatList(FeastValue value) => value.FloatListVal.Val;

    static RepeatedField<bool> IFormat.BoolList(FeastValue value) => value.BoolListVal.Val;

    static RepeatedField<long> IFormat.TimestampList(FeastValue value) => value.UnixTimestampListVal.Val;

    static DateTimeOffset IFormat.Instant(long seconds, string field, string column, int row)
    {
        // Years 1 to 9999, as every stored time; outside them a timestamp is refused, not wrapped around.
        if (seconds is < UtcMicros.MinSeconds or > UtcMicros.MaxSeconds)
        {
            throw new GranaryException(
                ErrorCodes.InvalidArgument,
                $"{field}.{column}[{row}]: {seconds} seconds since the Unix epoch is outside the years 1 to 9999; Feast's unix_timestamp_val is in seconds, not milliseconds.");
        }

        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    static GranaryException IFormat.Unsupported(FeastValue value, string field, string column, int row) => new(
        ErrorCodes.InvalidArgument,
        $"{field}.{column}[{row}]: Feast's {FeastValue.Descriptor.FindFieldByNumber((int)value.ValCase)?.Name ?? value.ValCase.ToString()} has no Granary type; send a scalar, a list of scalars or a unix timestamp.");

    static FeastValue IFormat.Null() => new() { NullVal = Null.Null };

    static FeastValue IFormat.OfBytes(ByteString value) => new() { BytesVal = value };

    static FeastValue IFormat.OfString(string value) => new() { StringVal = value };

    static FeastValue IFormat.OfInt32(int value) => new() { Int32Val = value };

    static FeastValue IFormat.OfInt64(long value) => new() { Int64Val = value };

    static FeastValue IFormat.OfDouble(double value) => new() { DoubleVal = value };

    static FeastValue IFormat.OfFloat(float value) => new() { FloatVal = value };

    static FeastValue IFormat.OfBool(bool value) => new() { BoolVal = value };

    // Whole seconds, rounded down, as Feast's unix_timestamp_val.
    static long IFormat.TimestampOnWire(long micros) => UtcMicros.ToSeconds(micros);

    static FeastValue IFormat.OfTimestamp(long seconds) => new() { UnixTimestampVal = seconds };

    static FeastValue IFormat.OfBytesList(out RepeatedField<ByteString> items)
    {
        var list = new BytesList();
        items = list.Val;
        return new FeastValue { BytesListVal = list };
    }

    static FeastValue IFormat.OfStringList(out RepeatedField<string> items)
    {
        var list = new StringList();
        items = list.Val;
        return new FeastValue { StringListVal = list };
    }

    static FeastValue IFormat.OfInt32List(out RepeatedField<int> items)
    {
        var list = new Int32List();
        items = list.Val;
        return new FeastValue { Int32ListVal = list };
    }

    static FeastValue IFormat.OfInt64List(out RepeatedField<long> items)
    {
        var list = new Int64List();
        items = list.Val;
        return new FeastValue { Int64ListVal = list };
    }

    static FeastValue IFormat.OfDoubleList(out RepeatedField<double> items)
    {
        var list = new DoubleList();
        items = list.Val;
        return new FeastValue { DoubleListVal = list };
    }

    static FeastValue IFormat.OfFloatList(out RepeatedField<float> items)
    {
        var list = new FloatList();
        items = list.Val;
        return new FeastValue { FloatListVal = list };
    }

    static FeastValue IFormat.OfBoolList(out RepeatedField<bool> items)
    {
        var list = new BoolList();
        items = list.Val;
        return new FeastValue { BoolListVal = list };
    }

    static FeastValue IFormat.OfTimestampList(out RepeatedField<long> items)
    {
        var list = new Int64List();
        items = list.Val;
        return new FeastValue { UnixTimestampListVal = list };
    }

    static FeastVector IFormat.Vector(int rows)
    {
        var vector = new FeastVector();
        vector.Values.Capacity = rows;
        vector.Statuses.Capacity = rows;
        vector.EventTimestamps.Capacity = rows;
        return vector;
    }

    static void IFormat.Add(FeastVector vector, FeastValue value, int status, long eventMicros)
    {
        vector.Values.Add(value);
        vector.Statuses.Add((FieldStatus)status);
        vector.EventTimestamps.Add(ToTimestamp(eventMicros));
    }
}

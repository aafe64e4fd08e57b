using Google.Protobuf;
using Google.Protobuf.Collections;
using Granary.Contracts.Errors;
using Granary.Contracts.Grpc.V1;
using Granary.Core.Errors;
using Granary.Core.Time;
using Granary.Core.Values;
using Granary.OnlineServing;
using IFormat = Granary.Server.Grpc.IWireValueFormat<Granary.Contracts.Grpc.V1.Value, Granary.Contracts.Grpc.V1.RepeatedValue, Granary.Contracts.Grpc.V1.FeatureVector>;
using Values = Granary.Server.Grpc.WireValues<Granary.Contracts.Grpc.V1.Value, Granary.Contracts.Grpc.V1.RepeatedValue, Granary.Contracts.Grpc.V1.FeatureVector, Granary.Server.Grpc.ProtoValues>;

namespace Granary.Server.Grpc;

/// <summary>
/// granary.proto's <see cref="Value"/> for <see cref="WireValues{TValue, TColumn, TVector, TFormat}"/>: Feast's kinds
/// with timestamps in microseconds since the Unix epoch, in values and event times alike.
/// </summary>
internal readonly struct ProtoValues : IFormat
{
    /// <inheritdoc cref="WireValues{TValue, TColumn, TVector, TFormat}.ToColumns"/>
    public static Dictionary<string, IReadOnlyList<object?>> ToColumns(MapField<string, RepeatedValue> map, string field) => Values.ToColumns(map, field);

    /// <inheritdoc cref="WireValues{TValue, TColumn, TVector, TFormat}.ToClr"/>
    public static object? ToClr(Value? value, string field, string column, int row) => Values.ToClr(value, field, column, row);

    /// <inheritdoc cref="WireValues{TValue, TColumn, TVector, TFormat}.ToVector"/>
    public static FeatureVector ToVector(OnlineFeatureColumn column) => Values.ToVector(column);

    /// <inheritdoc cref="WireValues{TValue, TColumn, TVector, TFormat}.ToWire"/>
    public static Value ToProto(FeatureValue value) => Values.ToWire(value);

    static WireCase IFormat.CaseOf(Value value) => (WireCase)value.ValCase;

    static RepeatedField<Value>? IFormat.Items(RepeatedValue? column) => column?.Val;

    static ByteString IFormat.Bytes(Value value) => value.BytesVal;

    static string IFormat.String(Value value) => value.StringVal;

    static int IFormat.Int32(Value value) => value.Int32Val;

    static long IFormat.Int64(Value value) => value.Int64Val;

    static double IFormat.Double(Value value) => value.DoubleVal;

    static float IFormat.Float(Value value) => value.FloatVal;

    static bool IFormat.Bool(Value value) => value.BoolVal;

    static long IFormat.Timestamp(Value value) => value.UnixTimestampMicrosVal;

    static RepeatedField<ByteString> IFormat.BytesList(Value value) => value.BytesListVal.Val;

    static RepeatedField<string> IFormat.StringList(Value value) => value.StringListVal.Val;

    static RepeatedField<int> IFormat.Int32List(Value value) => value.Int32ListVal.Val;

    static RepeatedField<long> IFormat.Int64List(Value value) => value.Int64ListVal.Val;

    static RepeatedField<double> IFormat.DoubleList(Value value) => value.DoubleListVal.Val;

    static RepeatedField<float> IFormat.FloatList(Value value) => value.FloatListVal.Val;

    static RepeatedField<bool> IFormat.BoolList(Value value) => value.BoolListVal.Val;

    static RepeatedField<long> IFormat.TimestampList(Value value) => value.UnixTimestampMicrosListVal.Val;

    static DateTimeOffset IFormat.Instant(long micros, string field, string column, int row) => UtcMicros.IsRepresentable(micros)
        ? UtcMicros.ToDateTimeOffset(micros)
        : throw new GranaryException(ErrorCodes.InvalidArgument, $"{field}.{column}[{row}]: {micros} µs since the Unix epoch is outside the years 1 to 9999.");

    static GranaryException IFormat.Unsupported(Value value, string field, string column, int row) =>
        new(ErrorCodes.InvalidArgument, $"{field}.{column}[{row}]: unknown value kind {(int)value.ValCase}.");

    static Value IFormat.Null() => new() { NullVal = Null.Null };

    static Value IFormat.OfBytes(ByteString value) => new() { BytesVal = value };

    static Value IFormat.OfString(string value) => new() { StringVal = value };

    static Value IFormat.OfInt32(int value) => new() { Int32Val = value };

    static Value IFormat.OfInt64(long value) => new() { Int64Val = value };

    static Value IFormat.OfDouble(double value) => new() { DoubleVal = value };

    static Value IFormat.OfFloat(float value) => new() { FloatVal = value };

    static Value IFormat.OfBool(bool value) => new() { BoolVal = value };

    static long IFormat.TimestampOnWire(long micros) => micros;

    static Value IFormat.OfTimestamp(long micros) => new() { UnixTimestampMicrosVal = micros };

    static Value IFormat.OfBytesList(out RepeatedField<ByteString> items)
    {
        var list = new BytesList();
        items = list.Val;
        return new Value { BytesListVal = list };
    }

    static Value IFormat.OfStringList(out RepeatedField<string> items)
    {
        var list = new StringList();
        items = list.Val;
        return new Value { StringListVal = list };
    }

    static Value IFormat.OfInt32List(out RepeatedField<int> items)
    {
        var list = new Int32List();
        items = list.Val;
        return new Value { Int32ListVal = list };
    }

    static Value IFormat.OfInt64List(out RepeatedField<long> items)
    {
        var list = new Int64List();
        items = list.Val;
        return new Value { Int64ListVal = list };
    }

    static Value IFormat.OfDoubleList(out RepeatedField<double> items)
    {
        var list = new DoubleList();
        items = list.Val;
        return new Value { DoubleListVal = list };
    }

    static Value IFormat.OfFloatList(out RepeatedField<float> items)
    {
        var list = new FloatList();
        items = list.Val;
        return new Value { FloatListVal = list };
    }

    static Value IFormat.OfBoolList(out RepeatedField<bool> items)
    {
        var list = new BoolList();
        items = list.Val;
        return new Value { BoolListVal = list };
    }

    static Value IFormat.OfTimestampList(out RepeatedField<long> items)
    {
        var list = new Int64List();
        items = list.Val;
        return new Value { UnixTimestampMicrosListVal = list };
    }

    static FeatureVector IFormat.Vector(int rows)
    {
        var vector = new FeatureVector();
        vector.Values.Capacity = rows;
        vector.Statuses.Capacity = rows;
        vector.EventTimestamps.Capacity = rows;
        return vector;
    }

    static void IFormat.Add(FeatureVector vector, Value value, int status, long eventMicros)
    {
        vector.Values.Add(value);
        vector.Statuses.Add((FieldStatus)status);
        vector.EventTimestamps.Add(eventMicros);
    }
}

using Google.Protobuf;
using Google.Protobuf.Collections;
using Granary.Core.Errors;

namespace Granary.Server.Grpc;

/// <summary>
/// What one wire's generated types differ in, for <see cref="WireValues{TValue, TColumn, TVector, TFormat}"/>: how a
/// value's members are reached and built, how the wire carries a timestamp, and how a response column is filled.
/// Static members, implemented by a struct, so the shared conversion is compiled once per wire with every call direct.
/// </summary>
/// <typeparam name="TValue">The wire's <c>Value</c>.</typeparam>
/// <typeparam name="TColumn">The wire's <c>RepeatedValue</c>: one request column.</typeparam>
/// <typeparam name="TVector">The wire's response column: values, statuses, event times.</typeparam>
internal interface IWireValueFormat<TValue, TColumn, TVector>
    where TValue : class
    where TColumn : class
{
    static abstract WireCase CaseOf(TValue value);

    static abstract RepeatedField<TValue>? Items(TColumn? column);

    static abstract ByteString Bytes(TValue value);

    static abstract string String(TValue value);

    static abstract int Int32(TValue value);

    static abstract long Int64(TValue value);

    static abstract double Double(TValue value);

    static abstract float Float(TValue value);

    static abstract bool Bool(TValue value);

    static abstract long Timestamp(TValue value);

    static abstract RepeatedField<ByteString> BytesList(TValue value);

    static abstract RepeatedField<string> StringList(TValue value);

    static abstract RepeatedField<int> Int32List(TValue value);

    static abstract RepeatedField<long> Int64List(TValue value);

    static abstract RepeatedField<double> DoubleList(TValue value);

    static abstract RepeatedField<float> FloatList(TValue value);

    static abstract RepeatedField<bool> BoolList(TValue value);

    static abstract RepeatedField<long> TimestampList(TValue value);

    /// <summary>A timestamp as the wire carries it, checked to lie in the years 1 to 9999, as an instant.</summary>
    static abstract DateTimeOffset Instant(long onWire, string field, string column, int row);

    /// <summary>The refusal of a kind the wire has and Granary has no type for.</summary>
    static abstract GranaryException Unsupported(TValue value, string field, string column, int row);

    static abstract TValue Null();

    static abstract TValue OfBytes(ByteString value);

    static abstract TValue OfString(string value);

    static abstract TValue OfInt32(int value);

    static abstract TValue OfInt64(long value);

    static abstract TValue OfDouble(double value);

    static abstract TValue OfFloat(float value);

    static abstract TValue OfBool(bool value);

    /// <summary>Microseconds since the Unix epoch as the wire carries a timestamp.</summary>
    static abstract long TimestampOnWire(long micros);

    static abstract TValue OfTimestamp(long onWire);

    // A list value and the list to fill: the value holds the list, so it is built empty and filled in place.
    static abstract TValue OfBytesList(out RepeatedField<ByteString> items);

    static abstract TValue OfStringList(out RepeatedField<string> items);

    static abstract TValue OfInt32List(out RepeatedField<int> items);

    static abstract TValue OfInt64List(out RepeatedField<long> items);

    static abstract TValue OfDoubleList(out RepeatedField<double> items);

    static abstract TValue OfFloatList(out RepeatedField<float> items);

    static abstract TValue OfBoolList(out RepeatedField<bool> items);

    static abstract TValue OfTimestampList(out RepeatedField<long> items);

    /// <summary>An empty response column with room for <paramref name="rows"/> cells.</summary>
    static abstract TVector Vector(int rows);

    /// <summary>Appends one cell; <paramref name="status"/> is numbered as Feast's <c>FieldStatus</c>, which both wires use.</summary>
    static abstract void Add(TVector vector, TValue value, int status, long eventMicros);
}

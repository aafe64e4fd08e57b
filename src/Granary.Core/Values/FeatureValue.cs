using System.Globalization;
using Granary.Core.Model;
using Granary.Core.Time;

namespace Granary.Core.Values;

/// <summary>
/// One typed value of a feature or entity key, without boxing for scalars: integers, booleans and timestamps
/// (microseconds, UTC) live in one 64-bit field, floats in the same bits; strings, bytes and lists in a reference.
/// </summary>
public readonly struct FeatureValue : IEquatable<FeatureValue>
{
    private readonly long _bits;
    private readonly object? _reference;

    private FeatureValue(FeatureType type, long bits, object? reference, bool isNull)
    {
        Type = type;
        _bits = bits;
        _reference = reference;
        IsNull = isNull;
    }

    public FeatureType Type { get; }

    public bool IsNull { get; }

    public static FeatureValue Null(FeatureType type) => new(type, 0, null, isNull: true);

    public static FeatureValue Int32(int value) => new(FeatureType.Int32, value, null, false);

    public static FeatureValue Int64(long value) => new(FeatureType.Int64, value, null, false);

    public static FeatureValue Float32(float value) => new(FeatureType.Float32, BitConverter.SingleToInt32Bits(value), null, false);

    public static FeatureValue Float64(double value) => new(FeatureType.Float64, BitConverter.DoubleToInt64Bits(value), null, false);

    public static FeatureValue Bool(bool value) => new(FeatureType.Bool, value ? 1 : 0, null, false);

    public static FeatureValue String(string value) => new(FeatureType.String, 0, value, false);

    public static FeatureValue Bytes(byte[] value) => new(FeatureType.Bytes, 0, value, false);

    /// <summary>A timestamp, as microseconds since the Unix epoch (UTC).</summary>
    public static FeatureValue Timestamp(long utcMicros) => new(FeatureType.UnixTimestamp, utcMicros, null, false);

    /// <summary>
    /// A list. <paramref name="items"/> is an array of the element kind's CLR type: <c>int[]</c>, <c>long[]</c>,
    /// <c>float[]</c>, <c>double[]</c>, <c>bool[]</c>, <c>string[]</c>, <c>byte[][]</c>, or <c>long[]</c> of
    /// microseconds for timestamps.
    /// </summary>
    public static FeatureValue List(ScalarKind kind, Array items) => new(new FeatureType(kind, IsList: true), 0, items, false);

    public int AsInt32() => (int)_bits;

    public long AsInt64() => _bits;

    public float AsFloat32() => BitConverter.Int32BitsToSingle((int)_bits);

    public double AsFloat64() => BitConverter.Int64BitsToDouble(_bits);

    public bool AsBool() => _bits != 0;

    public long AsTimestampMicros() => _bits;

    public string AsString() => (string)_reference!;

    public byte[] AsBytes() => (byte[])_reference!;

    public Array AsList() => (Array)_reference!;

    /// <summary>The 64-bit payload of a scalar (integers, booleans, timestamps, float bits).</summary>
    internal long ToScalarBits() => _bits;

    internal bool IsReference => _reference is not null;

    internal object? Reference => _reference;

    /// <summary>The value as a CLR object: null, int, long, float, double, bool, string, byte[], DateTimeOffset or an array.</summary>
    public object? ToObject()
    {
        if (IsNull)
        {
            return null;
        }

        if (Type.IsList)
        {
            return _reference;
        }

        return Type.Kind switch
        {
            ScalarKind.Int32 => AsInt32(),
            ScalarKind.Int64 => AsInt64(),
            ScalarKind.Float32 => AsFloat32(),
            ScalarKind.Float64 => AsFloat64(),
            ScalarKind.Bool => AsBool(),
            ScalarKind.UnixTimestamp => UtcMicros.ToDateTimeOffset(_bits),
            _ => _reference,
        };
    }

    public bool Equals(FeatureValue other)
    {
        if (Type != other.Type || IsNull != other.IsNull)
        {
            return false;
        }

        if (IsNull)
        {
            return true;
        }

        return _reference switch
        {
            null => _bits == other._bits,
            string s => s == other._reference as string,
            byte[] b => other._reference is byte[] ob && b.AsSpan().SequenceEqual(ob),
            Array a => other._reference is Array oa && ListsEqual(a, oa),
            _ => Equals(_reference, other._reference),
        };
    }

    public override bool Equals(object? obj) => obj is FeatureValue other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Type, IsNull, _bits, _reference is string s ? s.GetHashCode(StringComparison.Ordinal) : 0);

    public override string ToString() => IsNull ? "null" : Convert.ToString(ToObject(), CultureInfo.InvariantCulture) ?? "";

    public static bool operator ==(FeatureValue left, FeatureValue right) => left.Equals(right);

    public static bool operator !=(FeatureValue left, FeatureValue right) => !left.Equals(right);

    private static bool ListsEqual(Array a, Array b)
    {
        if (a.Length != b.Length || a.GetType() != b.GetType())
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            var x = a.GetValue(i);
            var y = b.GetValue(i);
            if (x is byte[] bx ? !(y is byte[] by && bx.AsSpan().SequenceEqual(by)) : !Equals(x, y))
            {
                return false;
            }
        }

        return true;
    }
}

using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.Streaming.Aggregation;

/// <summary>Conversions and the one order of values the aggregations share (min, max, ties of first, last and last_k).</summary>
internal static class ScalarValues
{
    public static FeatureValue FromBits(FeatureType type, long bits) => type.Kind switch
    {
        ScalarKind.Int32 => FeatureValue.Int32((int)bits),
        ScalarKind.Int64 => FeatureValue.Int64(bits),
        ScalarKind.Float32 => FeatureValue.Float32(BitConverter.Int32BitsToSingle((int)bits)),
        ScalarKind.Float64 => FeatureValue.Float64(BitConverter.Int64BitsToDouble(bits)),
        ScalarKind.Bool => FeatureValue.Bool(bits != 0),
        ScalarKind.UnixTimestamp => FeatureValue.Timestamp(bits),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Only fixed-width scalars are stored as bits."),
    };

    public static bool IsNumeric(ScalarKind kind) => kind is ScalarKind.Int32 or ScalarKind.Int64 or ScalarKind.Float32 or ScalarKind.Float64;

    public static bool IsInteger(ScalarKind kind) => kind is ScalarKind.Int32 or ScalarKind.Int64;

    /// <summary>A numeric value as a double (integers converted, float32 widened).</summary>
    public static double ToDouble(in FeatureValue value) => value.Type.Kind switch
    {
        ScalarKind.Int32 => value.AsInt32(),
        ScalarKind.Int64 => value.AsInt64(),
        ScalarKind.Float32 => value.AsFloat32(),
        _ => value.AsFloat64(),
    };

    /// <summary>
    /// Orders two non-null values of one type as SQL engines do: numbers and times by value (NaN above every number),
    /// false before true, strings by Unicode code point (the order of their UTF-8 bytes), bytes lexicographically.
    /// </summary>
    public static int Compare(in FeatureValue a, in FeatureValue b)
    {
        switch (a.Type.Kind)
        {
            case ScalarKind.Float32:
            case ScalarKind.Float64:
                var x = ToDouble(a);
                var y = ToDouble(b);
                return double.IsNaN(x) ? (double.IsNaN(y) ? 0 : 1) : double.IsNaN(y) ? -1 : x.CompareTo(y);
            case ScalarKind.String:
                return CompareCodePoints(a.AsString(), b.AsString());
            case ScalarKind.Bytes:
                return a.AsBytes().AsSpan().SequenceCompareTo(b.AsBytes());
            default:
                return a.ToScalarBits().CompareTo(b.ToScalarBits());
        }
    }

    /// <summary>
    /// Code-point order of two UTF-16 strings without transcoding: surrogates (code points above U+FFFF) sort after
    /// U+E000-U+FFFF, where plain ordinal comparison puts them before.
    /// </summary>
    private static int CompareCodePoints(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++)
        {
            if (a[i] != b[i])
            {
                return Fix(a[i]).CompareTo(Fix(b[i]));
            }
        }

        return a.Length.CompareTo(b.Length);

        static int Fix(char c) => c < 0xD800 ? c : c >= 0xE000 ? c - 0x800 : c + 0x2000;
    }
}

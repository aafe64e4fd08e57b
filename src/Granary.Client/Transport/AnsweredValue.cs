using System.Runtime.InteropServices;

namespace Granary.Client;

/// <summary>
/// One answered value, held unboxed: integers and doubles in <see cref="_bits"/>, booleans as 0 or 1, strings and lists
/// (<c>object?[]</c>) in <see cref="_reference"/>. An answer of many numeric values then costs one array per column
/// instead of one heap object per value; <see cref="ToObject"/> boxes only when a caller asks for the untyped value.
/// </summary>
[StructLayout(LayoutKind.Auto)]
internal readonly struct AnsweredValue
{
    private readonly object? _reference;
    private readonly long _bits;

    private AnsweredValue(AnsweredValueKind kind, long bits, object? reference)
    {
        Kind = kind;
        _bits = bits;
        _reference = reference;
    }

    public AnsweredValueKind Kind { get; }

    public static AnsweredValue Null => default;

    public static AnsweredValue FromInt64(long value) => new(AnsweredValueKind.Int64, value, null);

    public static AnsweredValue FromDouble(double value) => new(AnsweredValueKind.Double, BitConverter.DoubleToInt64Bits(value), null);

    public static AnsweredValue FromBoolean(bool value) => new(AnsweredValueKind.Boolean, value ? 1 : 0, null);

    public static AnsweredValue FromString(string? value) => value is null ? Null : new(AnsweredValueKind.String, 0, value);

    public static AnsweredValue FromList(object?[] items) => new(AnsweredValueKind.List, 0, items);

    /// <summary>A value as transports used to hand it over (<see cref="long"/>, <see cref="double"/>, <see cref="bool"/>, <see cref="string"/>, <c>object?[]</c> or null).</summary>
    public static AnsweredValue FromObject(object? value) => value switch
    {
        null => Null,
        long l => FromInt64(l),
        double d => FromDouble(d),
        bool b => FromBoolean(b),
        string s => FromString(s),
        object?[] list => FromList(list),
        _ => throw new ArgumentException($"A {value.GetType().Name} is not an answered value (long, double, bool, string, object?[] or null).", nameof(value)),
    };

    public long Int64 => _bits;

    public double Double => BitConverter.Int64BitsToDouble(_bits);

    public bool Boolean => _bits != 0;

    /// <summary>The string or list this value holds; null for a number, a boolean or null.</summary>
    public object? Reference => _reference;

    /// <summary>The value boxed as the answer carried it; null for <see cref="AnsweredValueKind.Null"/>.</summary>
    public object? ToObject() => Kind switch
    {
        AnsweredValueKind.Int64 => _bits,
        AnsweredValueKind.Double => Double,
        AnsweredValueKind.Boolean => Boolean,
        _ => _reference,
    };
}

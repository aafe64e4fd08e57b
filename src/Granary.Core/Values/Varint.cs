namespace Granary.Core.Values;

/// <summary>Unsigned LEB128 integers: lengths and counts in Granary's binary encodings.</summary>
internal static class Varint
{
    public const int MaxLength = 10;

    /// <summary>The number of bytes <see cref="Write"/> takes for <paramref name="value"/>.</summary>
    public static int Size(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    public static int Write(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    public static ulong Read(ReadOnlySpan<byte> source, ref int offset)
    {
        ulong value = 0;
        var shift = 0;
        while (true)
        {
            if (shift > 63)
            {
                throw new FormatException("Varint too long.");
            }

            var b = source[offset++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }

            shift += 7;
        }
    }
}

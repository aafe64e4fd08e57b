using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Granary.Core.Values;

/// <summary>
/// The one stable hash of text that Granary documents for reproduction in any language: the first 8 bytes of the
/// SHA-256 of the UTF-8 text, read as a big-endian unsigned integer. Experiments assign variants with it and the
/// expression language's <c>hash_bucket</c> buckets values with it; the engines compute the same in SQL.
/// </summary>
internal static class StableHash
{
    /// <summary>The hash of <paramref name="text"/>.</summary>
    public static ulong Of(ReadOnlySpan<char> text) => Hash(text, (default, false), []);

    /// <summary>The hash of <paramref name="first"/>, then <paramref name="separator"/>, then <paramref name="second"/>, as one text.</summary>
    public static ulong Of(ReadOnlySpan<char> first, char separator, ReadOnlySpan<char> second) => Hash(first, (separator, true), second);

    private static ulong Hash(ReadOnlySpan<char> first, (char Value, bool Present) separator, ReadOnlySpan<char> second)
    {
        var separatorLength = separator.Present ? Encoding.UTF8.GetByteCount([separator.Value]) : 0;
        var length = Encoding.UTF8.GetByteCount(first) + separatorLength + Encoding.UTF8.GetByteCount(second);
        var rented = length <= 256 ? null : ArrayPool<byte>.Shared.Rent(length);
        Span<byte> text = rented is null ? stackalloc byte[length] : rented.AsSpan(0, length);
        var written = Encoding.UTF8.GetBytes(first, text);
        if (separator.Present)
        {
            written += Encoding.UTF8.GetBytes([separator.Value], text[written..]);
        }

        Encoding.UTF8.GetBytes(second, text[written..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(text, hash);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }
}

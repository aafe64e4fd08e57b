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
    public static ulong Of(ReadOnlySpan<char> text) => Hash(text, [], []);

    /// <summary>The hash of <paramref name="first"/>, then <paramref name="separator"/>, then <paramref name="second"/>, as one text.</summary>
    public static ulong Of(ReadOnlySpan<char> first, char separator, ReadOnlySpan<char> second) => Hash(first, new ReadOnlySpan<char>(in separator), second);

    /// <summary>The hash of the three parts, one after another, as one text: no string is built for them.</summary>
    private static ulong Hash(ReadOnlySpan<char> first, ReadOnlySpan<char> middle, ReadOnlySpan<char> last)
    {
        var length = Encoding.UTF8.GetByteCount(first) + Encoding.UTF8.GetByteCount(middle) + Encoding.UTF8.GetByteCount(last);
        var rented = length <= 256 ? null : ArrayPool<byte>.Shared.Rent(length);
        Span<byte> text = rented is null ? stackalloc byte[length] : rented.AsSpan(0, length);
        var written = Encoding.UTF8.GetBytes(first, text);
        written += Encoding.UTF8.GetBytes(middle, text[written..]);
        Encoding.UTF8.GetBytes(last, text[written..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(text, hash);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }
}

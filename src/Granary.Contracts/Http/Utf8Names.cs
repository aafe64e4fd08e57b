using System.Text.Json;

namespace Granary.Contracts.Http;

/// <summary>
/// Strings for the names requests repeat all day (feature references, join keys, service names), looked up by their
/// UTF-8 bytes instead of allocated per request. A fixed table of slots by hash: a slot holds the last name that
/// hashed to it, so memory stays bounded whatever clients send, and a collision only costs an allocation.
/// </summary>
internal static class Utf8Names
{
    private const int Slots = 4096;
    private const int LongestKept = 128;
    private static readonly Entry?[] Table = new Entry?[Slots];

    /// <summary>The string value (or property name) the reader is on.</summary>
    public static string Get(ref Utf8JsonReader reader)
    {
        if (reader.HasValueSequence || reader.ValueIsEscaped || reader.ValueSpan.Length > LongestKept)
        {
            return reader.GetString()!;
        }

        var utf8 = reader.ValueSpan;
        var hash = new HashCode();
        hash.AddBytes(utf8);
        var slot = (int)((uint)hash.ToHashCode() % Slots);
        if (Volatile.Read(ref Table[slot]) is { } entry && utf8.SequenceEqual(entry.Utf8))
        {
            return entry.Value;
        }

        var value = reader.GetString()!;
        Volatile.Write(ref Table[slot], new Entry(utf8.ToArray(), value));
        return value;
    }

    private sealed class Entry(byte[] utf8, string value)
    {
        public byte[] Utf8 { get; } = utf8;

        public string Value { get; } = value;
    }
}

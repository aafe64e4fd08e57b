using System.Buffers;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Client.Http;

namespace Granary.Tests.Client;

/// <summary>The pooled request body sends exactly what was written into it, with its length, however large it grows.</summary>
public sealed class PooledJsonContentTests
{
    [Property(MaxTest = 100)]
    public Property A_body_of_any_size_is_sent_byte_for_byte_with_its_length() =>
        Prop.ForAll(
            Gen.ArrayOf(Gen.Elements("a", "é", "💡", "\"", "0123456789abcdef")).ToArbitrary(),
            Gen.Choose(0, 5000).ToArbitrary(),
            (pieces, padding) =>
            {
                // The reference: the same JSON written into a plain ArrayBufferWriter.
                var expected = new ArrayBufferWriter<byte>();
                Write(expected, pieces, padding);
                using var content = new PooledJsonContent();
                Write(content, pieces, padding);

                var sent = content.ReadAsByteArrayAsync().GetAwaiter().GetResult();

                return sent.AsSpan().SequenceEqual(expected.WrittenSpan)
                    && content.Headers.ContentLength == expected.WrittenCount
                    && content.Headers.ContentType?.MediaType == "application/json";
            });

    [Fact]
    public void A_disposed_body_takes_no_more_writes()
    {
        var content = new PooledJsonContent();
        content.GetSpan(4)[0] = (byte)'1';
        content.Advance(1);
        content.Dispose();

        Assert.Throws<ObjectDisposedException>(() => content.GetSpan(1));
    }

    [Fact]
    public void Advancing_past_what_was_handed_out_is_refused()
    {
        using var content = new PooledJsonContent();
        var handedOut = content.GetSpan(8).Length;

        Assert.Throws<ArgumentOutOfRangeException>(() => content.Advance(handedOut + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => content.Advance(-1));
    }

    private static void Write(IBufferWriter<byte> output, string[] pieces, int padding)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteString("padding", new string('x', padding));
        writer.WriteStartArray("pieces");
        foreach (var piece in pieces)
        {
            writer.WriteStringValue(piece);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}

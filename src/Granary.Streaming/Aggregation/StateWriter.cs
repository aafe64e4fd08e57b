using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.Streaming.Aggregation;

/// <summary>
/// Writes partial aggregates in their stored form: little-endian fixed-width numbers, LEB128 lengths, UTF-8 strings.
/// The form is what the online store keeps between events and processes, so it changes only with a version byte.
/// </summary>
internal readonly struct StateWriter(IBufferWriter<byte> output)
{
    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    public void WriteDouble(double value) => WriteInt64(BitConverter.DoubleToInt64Bits(value));

    public void WriteByte(byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    public void WriteLength(int length)
    {
        var written = Varint.Write(output.GetSpan(Varint.MaxLength), (ulong)length);
        output.Advance(written);
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        WriteLength(bytes.Length);
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    /// <summary>Text as its UTF-8 bytes with their length, as <see cref="WriteBytes"/> writes them, without an intermediate array.</summary>
    public void WriteText(string text)
    {
        var size = Encoding.UTF8.GetByteCount(text);
        WriteLength(size);
        Encoding.UTF8.GetBytes(text, output.GetSpan(size));
        output.Advance(size);
    }

    /// <summary>A non-null scalar of a known type: its 64-bit payload, or its bytes for strings and bytes.</summary>
    public void WriteValue(in FeatureValue value)
    {
        switch (value.Type.Kind)
        {
            case ScalarKind.String:
                WriteText(value.AsString());
                break;
            case ScalarKind.Bytes:
                WriteBytes(value.AsBytes());
                break;
            default:
                WriteInt64(value.ToScalarBits());
                break;
        }
    }
}

using System.Buffers.Binary;
using System.Text;
using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.Streaming.Aggregation;

/// <summary>Reads what <see cref="StateWriter"/> wrote; a truncated or malformed state throws <see cref="FormatException"/>.</summary>
internal ref struct StateReader(ReadOnlySpan<byte> source)
{
    private readonly ReadOnlySpan<byte> _source = source;
    private int _offset;

    public readonly bool AtEnd => _offset == _source.Length;

    public long ReadInt64()
    {
        var value = BinaryPrimitives.ReadInt64LittleEndian(Take(8));
        return value;
    }

    public double ReadDouble() => BitConverter.Int64BitsToDouble(ReadInt64());

    public byte ReadByte() => Take(1)[0];

    public int ReadLength()
    {
        ulong length;
        try
        {
            length = Varint.Read(_source, ref _offset);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or FormatException)
        {
            throw Malformed();
        }

        return length <= int.MaxValue ? (int)length : throw Malformed();
    }

    public ReadOnlySpan<byte> ReadBytes() => Take(ReadLength());

    public FeatureValue ReadValue(FeatureType type) => type.Kind switch
    {
        ScalarKind.String => FeatureValue.String(Encoding.UTF8.GetString(ReadBytes())),
        ScalarKind.Bytes => FeatureValue.Bytes(ReadBytes().ToArray()),
        _ => ScalarValues.FromBits(type, ReadInt64()),
    };

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || _source.Length - _offset < count)
        {
            throw Malformed();
        }

        var span = _source.Slice(_offset, count);
        _offset += count;
        return span;
    }

    private static FormatException Malformed() => new("A stored partial aggregate is truncated or malformed.");
}

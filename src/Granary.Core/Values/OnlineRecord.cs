using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Providers;

namespace Granary.Core.Values;

/// <summary>
/// The online value of one entity in one view: every feature in schema order, and when it was true. Layout
/// (little-endian), documented in docs/online-store.md:
/// <code>
/// u8 version (1) | u64 schema fingerprint | i64 event time µs | i64 created time µs (long.MinValue: none)
/// u16 feature count n | ceil(n/8) bytes null bitmap (bit i: feature i is null) | values of non-null features
/// </code>
/// Values: int32 4 bytes, int64 8, float32 4, float64 8, bool 1, unix_timestamp 8 (µs), string and bytes a varint
/// length and the bytes (UTF-8 for strings), lists a varint count then the elements. The event and created times sit
/// at fixed offsets, so a store compares two records for last-write-wins without decoding either.
/// </summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public static class OnlineRecord
{
    // Strict: an unpaired surrogate is refused rather than silently stored as U+FFFD.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public const byte Version = 1;
    public const int EventOffset = 9;
    public const int CreatedOffset = 17;
    public const int HeaderSize = 27;

    /// <summary>The version byte and the schema fingerprint: what two records must share for their times to compare.</summary>
    public const int SchemaPrefixSize = 9;

    public static ulong Fingerprint(ReadOnlySpan<byte> record) => BinaryPrimitives.ReadUInt64LittleEndian(record[1..]);

    public static long EventMicros(ReadOnlySpan<byte> record) => BinaryPrimitives.ReadInt64LittleEndian(record[EventOffset..]);

    public static long CreatedMicros(ReadOnlySpan<byte> record) => BinaryPrimitives.ReadInt64LittleEndian(record[CreatedOffset..]);

    /// <summary>Last-write-wins: true when <paramref name="candidate"/> is strictly later (event time, then created time).</summary>
    public static bool Supersedes(ReadOnlySpan<byte> candidate, ReadOnlySpan<byte> existing)
    {
        var byEvent = EventMicros(candidate).CompareTo(EventMicros(existing));
        return byEvent > 0 || (byEvent == 0 && CreatedMicros(candidate) > CreatedMicros(existing));
    }

    /// <summary>
    /// True when both records carry the same format version and schema fingerprint (their first
    /// <see cref="SchemaPrefixSize"/> bytes), so that their times are comparable.
    /// </summary>
    public static bool SameSchema(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) =>
        a[..SchemaPrefixSize].SequenceEqual(b[..SchemaPrefixSize]);

    /// <summary>
    /// The rule every store applies to a write: <paramref name="candidate"/> replaces <paramref name="existing"/> when
    /// it <see cref="Supersedes"/> it, or when the two were written under different schemas. A record of another schema
    /// is unreadable to the writer's view (it reads as absent), so its times must not keep a value of the writer's
    /// schema out: otherwise a view whose features changed would stay NOT_FOUND until its source had newer rows than
    /// the last write of the old schema. See docs/online-store.md, "Schema changes".
    /// </summary>
    public static bool Replaces(ReadOnlySpan<byte> candidate, ReadOnlySpan<byte> existing) =>
        !SameSchema(candidate, existing) || Supersedes(candidate, existing);

    public static byte[] Encode(RecordSchema schema, long eventMicros, long createdMicros, ReadOnlySpan<FeatureValue> values)
    {
        var buffer = new ArrayBufferWriter<byte>(HeaderSize + (values.Length * 9));
        Encode(buffer, schema, eventMicros, createdMicros, values);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Encode(IBufferWriter<byte> output, RecordSchema schema, long eventMicros, long createdMicros, ReadOnlySpan<FeatureValue> values)
    {
        if (values.Length != schema.Count)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"A record of this view has {schema.Count} features, not {values.Length}.");
        }

        var bitmapLength = (values.Length + 7) / 8;
        var header = output.GetSpan(HeaderSize + bitmapLength);
        header[0] = Version;
        BinaryPrimitives.WriteUInt64LittleEndian(header[1..], schema.Fingerprint);
        BinaryPrimitives.WriteInt64LittleEndian(header[EventOffset..], eventMicros);
        BinaryPrimitives.WriteInt64LittleEndian(header[CreatedOffset..], createdMicros);
        BinaryPrimitives.WriteUInt16LittleEndian(header[25..], (ushort)values.Length);
        var bitmap = header.Slice(HeaderSize, bitmapLength);
        bitmap.Clear();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i].IsNull)
            {
                bitmap[i / 8] |= (byte)(1 << (i % 8));
            }
        }

        output.Advance(HeaderSize + bitmapLength);
        for (var i = 0; i < values.Length; i++)
        {
            if (!values[i].IsNull)
            {
                var type = schema.Features[i].Type;
                if (values[i].Type != type)
                {
                    throw new GranaryException(ErrorCodes.InvalidArgument, $"Feature '{schema.Features[i].Name}' is {type}; got a {values[i].Type} value.");
                }

                WriteValue(output, values[i]);
            }
        }
    }

    /// <summary>
    /// Decodes every feature into <paramref name="values"/>; returns false, leaving it untouched, when the record was
    /// written under another schema (the view changed since): such a value is treated as absent, never misread.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> record, RecordSchema schema, Span<FeatureValue> values) =>
        TryDecode(record, schema, values, wanted: default);

    /// <summary>
    /// As <see cref="TryDecode(ReadOnlySpan{byte}, RecordSchema, Span{FeatureValue})"/>, but only features whose flag in
    /// <paramref name="wanted"/> is set are materialized (the others are skipped without allocating); an empty span
    /// means all.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> record, RecordSchema schema, Span<FeatureValue> values, ReadOnlySpan<bool> wanted)
    {
        if (record.Length < HeaderSize || record[0] != Version || Fingerprint(record) != schema.Fingerprint)
        {
            return false;
        }

        var count = BinaryPrimitives.ReadUInt16LittleEndian(record[25..]);
        if (count != schema.Count)
        {
            return false;
        }

        var bitmap = record.Slice(HeaderSize, (count + 7) / 8);
        var offset = HeaderSize + bitmap.Length;
        for (var i = 0; i < count; i++)
        {
            var type = schema.Features[i].Type;
            if ((bitmap[i / 8] & (1 << (i % 8))) != 0)
            {
                values[i] = FeatureValue.Null(type);
            }
            else if (wanted.IsEmpty || wanted[i])
            {
                values[i] = ReadValue(record, ref offset, type);
            }
            else
            {
                SkipValue(record, ref offset, type);
            }
        }

        return true;
    }

    private static void SkipValue(ReadOnlySpan<byte> record, ref int offset, FeatureType type)
    {
        var count = type.IsList ? (int)Varint.Read(record, ref offset) : 1;
        for (var i = 0; i < count; i++)
        {
            // The length is read first: it moves the offset past its own varint before the payload is skipped.
            var size = type.Kind switch
            {
                ScalarKind.Int32 or ScalarKind.Float32 => 4,
                ScalarKind.Int64 or ScalarKind.Float64 or ScalarKind.UnixTimestamp => 8,
                ScalarKind.Bool => 1,
                _ => (int)Varint.Read(record, ref offset),
            };
            offset += size;
        }
    }

    private static void WriteValue(IBufferWriter<byte> output, FeatureValue value)
    {
        if (!value.Type.IsList)
        {
            WriteScalar(output, value.Type.Kind, value.ToScalarBits(), value.IsReference ? value.Reference : null);
            return;
        }

        var items = value.AsList();
        WriteVarint(output, (ulong)items.Length);
        foreach (var item in items)
        {
            var (bits, reference) = ScalarParts(value.Type.Kind, item);
            WriteScalar(output, value.Type.Kind, bits, reference);
        }
    }

    private static (long Bits, object? Reference) ScalarParts(ScalarKind kind, object? item) => kind switch
    {
        ScalarKind.Int32 => ((int)item!, null),
        ScalarKind.Int64 or ScalarKind.UnixTimestamp => ((long)item!, null),
        ScalarKind.Float32 => (BitConverter.SingleToInt32Bits((float)item!), null),
        ScalarKind.Float64 => (BitConverter.DoubleToInt64Bits((double)item!), null),
        ScalarKind.Bool => ((bool)item! ? 1 : 0, null),
        _ => (0, item),
    };

    private static void WriteScalar(IBufferWriter<byte> output, ScalarKind kind, long bits, object? reference)
    {
        switch (kind)
        {
            case ScalarKind.Int32 or ScalarKind.Float32:
                BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), (int)bits);
                output.Advance(4);
                break;
            case ScalarKind.Int64 or ScalarKind.Float64 or ScalarKind.UnixTimestamp:
                BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), bits);
                output.Advance(8);
                break;
            case ScalarKind.Bool:
                output.GetSpan(1)[0] = (byte)bits;
                output.Advance(1);
                break;
            case ScalarKind.String:
                var text = (string)reference!;
                int length;
                try
                {
                    length = StrictUtf8.GetByteCount(text);
                }
                catch (EncoderFallbackException e)
                {
                    throw new GranaryException(ErrorCodes.InvalidArgument, "A string feature value is not valid Unicode (it has an unpaired surrogate).", e);
                }

                WriteVarint(output, (ulong)length);
                StrictUtf8.GetBytes(text, output.GetSpan(length));
                output.Advance(length);
                break;
            default:
                var bytes = (byte[])reference!;
                WriteVarint(output, (ulong)bytes.Length);
                output.Write(bytes);
                break;
        }
    }

    private static void WriteVarint(IBufferWriter<byte> output, ulong value) =>
        output.Advance(Varint.Write(output.GetSpan(Varint.MaxLength), value));

    private static FeatureValue ReadValue(ReadOnlySpan<byte> record, ref int offset, FeatureType type)
    {
        if (!type.IsList)
        {
            return ReadScalar(record, ref offset, type.Kind);
        }

        var count = (int)Varint.Read(record, ref offset);
        Array items = type.Kind switch
        {
            ScalarKind.Int32 => new int[count],
            ScalarKind.Int64 or ScalarKind.UnixTimestamp => new long[count],
            ScalarKind.Float32 => new float[count],
            ScalarKind.Float64 => new double[count],
            ScalarKind.Bool => new bool[count],
            ScalarKind.String => new string[count],
            _ => new byte[count][],
        };
        for (var i = 0; i < count; i++)
        {
            var item = ReadScalar(record, ref offset, type.Kind);
            items.SetValue(type.Kind == ScalarKind.UnixTimestamp ? item.AsTimestampMicros() : item.ToObject(), i);
        }

        return FeatureValue.List(type.Kind, items);
    }

    private static FeatureValue ReadScalar(ReadOnlySpan<byte> record, ref int offset, ScalarKind kind)
    {
        FeatureValue value;
        switch (kind)
        {
            case ScalarKind.Int32:
                value = FeatureValue.Int32(BinaryPrimitives.ReadInt32LittleEndian(record[offset..]));
                offset += 4;
                break;
            case ScalarKind.Float32:
                value = FeatureValue.Float32(BinaryPrimitives.ReadSingleLittleEndian(record[offset..]));
                offset += 4;
                break;
            case ScalarKind.Int64:
                value = FeatureValue.Int64(BinaryPrimitives.ReadInt64LittleEndian(record[offset..]));
                offset += 8;
                break;
            case ScalarKind.Float64:
                value = FeatureValue.Float64(BinaryPrimitives.ReadDoubleLittleEndian(record[offset..]));
                offset += 8;
                break;
            case ScalarKind.UnixTimestamp:
                value = FeatureValue.Timestamp(BinaryPrimitives.ReadInt64LittleEndian(record[offset..]));
                offset += 8;
                break;
            case ScalarKind.Bool:
                value = FeatureValue.Bool(record[offset++] != 0);
                break;
            case ScalarKind.String:
            {
                var length = (int)Varint.Read(record, ref offset);
                value = FeatureValue.String(Encoding.UTF8.GetString(record.Slice(offset, length)));
                offset += length;
                break;
            }

            default:
            {
                var length = (int)Varint.Read(record, ref offset);
                value = FeatureValue.Bytes(record.Slice(offset, length).ToArray());
                offset += length;
                break;
            }
        }

        return value;
    }
}

using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;

namespace Granary.Core.Values;

/// <summary>
/// The canonical identity of one entity: the values of a view's join keys, in the order of its entities' join keys.
/// Every online store, hash and address uses these bytes, so equal keys are equal everywhere and different keys
/// never collide. See docs/online-store.md for the byte layout; in short:
/// <code>u8 part count, then per part: u8 kind (ScalarKind), varint payload length, payload</code>
/// where int32 and int64 payloads are 8-byte big-endian two's complement (so <c>1</c> as int32 and int64 differ only by
/// kind), strings UTF-8, bytes as is, booleans one byte. The length prefix makes <c>("a:b","c")</c> and
/// <c>("a","b:c")</c> different; the kind byte makes <c>1</c> and <c>"1"</c> different.
/// The text form, used in <c>{namespace}:{feature}:{entity_key}</c> addresses, is JSON: a scalar for one part
/// (<c>42</c>, <c>"u-42"</c>), an array for several (<c>[42,"a:b"]</c>).
/// </summary>
public sealed class EntityKey : IEquatable<EntityKey>
{
    // Strict: an unpaired surrogate would otherwise become U+FFFD, and two different keys would share bytes.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _bytes;
    private readonly int _hash;

    private EntityKey(byte[] bytes)
    {
        _bytes = bytes;
        var hash = new HashCode();
        hash.AddBytes(bytes);
        _hash = hash.ToHashCode();
    }

    /// <summary>The canonical bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>The canonical bytes as an array (do not modify).</summary>
    public byte[] ToArray() => _bytes;

    public static EntityKey FromBytes(ReadOnlySpan<byte> bytes) => new(bytes.ToArray());

    /// <summary>Encodes key parts; only scalar values can be keys.</summary>
    public static EntityKey Create(params ReadOnlySpan<FeatureValue> parts)
    {
        if (parts.Length is 0 or > byte.MaxValue)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, "An entity key has between 1 and 255 parts.");
        }

        // Sized first, then written in place: the key's own array is its only allocation.
        var size = 1;
        foreach (var part in parts)
        {
            if (part.IsNull || part.Type.IsList)
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, $"An entity key part must be a non-null scalar, not {(part.IsNull ? "null" : part.Type.ToString())}.");
            }

            var length = PayloadLength(part);
            size += 1 + Varint.Size((ulong)length) + length;
        }

        var bytes = new byte[size];
        bytes[0] = (byte)parts.Length;
        var offset = 1;
        foreach (var part in parts)
        {
            offset += WritePart(bytes.AsSpan(offset), part);
        }

        return new EntityKey(bytes);
    }

    /// <summary>The key parts, decoded.</summary>
    public FeatureValue[] Parts()
    {
        var span = _bytes.AsSpan();
        var parts = new FeatureValue[span[0]];
        var offset = 1;
        for (var i = 0; i < parts.Length; i++)
        {
            var kind = (ScalarKind)span[offset++];
            var length = (int)Varint.Read(span, ref offset);
            var payload = span.Slice(offset, length);
            offset += length;
            parts[i] = kind switch
            {
                ScalarKind.Int32 => FeatureValue.Int32((int)BinaryPrimitives.ReadInt64BigEndian(payload)),
                ScalarKind.Int64 => FeatureValue.Int64(BinaryPrimitives.ReadInt64BigEndian(payload)),
                ScalarKind.UnixTimestamp => FeatureValue.Timestamp(BinaryPrimitives.ReadInt64BigEndian(payload)),
                ScalarKind.Bool => FeatureValue.Bool(payload[0] != 0),
                ScalarKind.String => FeatureValue.String(Encoding.UTF8.GetString(payload)),
                ScalarKind.Bytes => FeatureValue.Bytes(payload.ToArray()),
                ScalarKind.Float32 => FeatureValue.Float32(BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadInt32BigEndian(payload))),
                ScalarKind.Float64 => FeatureValue.Float64(BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64BigEndian(payload))),
                _ => throw new FormatException($"Unknown key kind {(byte)kind}."),
            };
        }

        return parts;
    }

    /// <summary>The JSON text form: a scalar for one part, an array for several.</summary>
    public string ToText()
    {
        var parts = Parts();
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            if (parts.Length > 1)
            {
                writer.WriteStartArray();
            }

            foreach (var part in parts)
            {
                WriteJson(writer, part);
            }

            if (parts.Length > 1)
            {
                writer.WriteEndArray();
            }
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Parses the text form against the key's types (one per join key, in order).</summary>
    public static EntityKey ParseText(string text, IReadOnlyList<FeatureType> types)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (types.Count == 1 && root.ValueKind != JsonValueKind.Array)
            {
                return Create(FromJson(root, types[0]));
            }

            if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() != types.Count)
            {
                throw new FormatException($"expected {(types.Count == 1 ? "one value" : $"an array of {types.Count} values")}");
            }

            var parts = new FeatureValue[types.Count];
            var i = 0;
            foreach (var element in root.EnumerateArray())
            {
                parts[i] = FromJson(element, types[i]);
                i++;
            }

            return Create(parts);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or OverflowException)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"Invalid entity key '{text}': {e.Message}.", e);
        }
    }

    /// <summary>
    /// Converts a value given as a CLR object (JSON, gRPC, a driver) or as text (the CLI's <c>user_id=42</c>,
    /// <c>active=true</c>) to a key part of <paramref name="type"/>.
    /// </summary>
    /// <exception cref="FormatException">The value is null, not convertible, or the type cannot be a key.</exception>
    public static FeatureValue Part(object? value, FeatureType type) => value is null || type.IsList || type.Kind is ScalarKind.Float32 or ScalarKind.Float64 or ScalarKind.UnixTimestamp
        ? throw new FormatException(value is null ? "a key part cannot be null" : $"{type} cannot be an entity key type")
        : ClrValues.ToFeatureValue(value is string text ? FromText(text, type.Kind) : value, type);

    // Key text as the CLI gives it: plain digits for integers, true or false for booleans; anything else stays text
    // (and is refused by the conversion unless the key is a string or bytes).
    private static object FromText(string text, ScalarKind kind) => kind switch
    {
        ScalarKind.Int32 or ScalarKind.Int64 when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) => whole,
        ScalarKind.Bool when bool.TryParse(text, out var flag) => flag,
        _ => text,
    };

    public bool Equals(EntityKey? other) => other is not null && _hash == other._hash && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as EntityKey);

    public override int GetHashCode() => _hash;

    public override string ToString() => ToText();

    public static bool operator ==(EntityKey? left, EntityKey? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(EntityKey? left, EntityKey? right) => !(left == right);

    private static FeatureValue FromJson(JsonElement element, FeatureType type) => type.Kind switch
    {
        ScalarKind.Int32 when element.ValueKind == JsonValueKind.Number => FeatureValue.Int32(element.GetInt32()),
        ScalarKind.Int64 when element.ValueKind == JsonValueKind.Number => FeatureValue.Int64(element.GetInt64()),
        ScalarKind.String when element.ValueKind == JsonValueKind.String => FeatureValue.String(element.GetString()!),
        ScalarKind.Bool when element.ValueKind is JsonValueKind.True or JsonValueKind.False => FeatureValue.Bool(element.GetBoolean()),
        ScalarKind.Bytes when element.ValueKind == JsonValueKind.String => FeatureValue.Bytes(element.GetBytesFromBase64()),
        _ => throw new FormatException($"{element.GetRawText()} is not a {type}"),
    };

    private static void WriteJson(Utf8JsonWriter writer, FeatureValue part)
    {
        switch (part.Type.Kind)
        {
            case ScalarKind.Int32: writer.WriteNumberValue(part.AsInt32()); break;
            case ScalarKind.Int64: writer.WriteNumberValue(part.AsInt64()); break;
            case ScalarKind.UnixTimestamp: writer.WriteNumberValue(part.AsTimestampMicros()); break;
            case ScalarKind.Float32: writer.WriteNumberValue(part.AsFloat32()); break;
            case ScalarKind.Float64: writer.WriteNumberValue(part.AsFloat64()); break;
            case ScalarKind.Bool: writer.WriteBooleanValue(part.AsBool()); break;
            case ScalarKind.Bytes: writer.WriteBase64StringValue(part.AsBytes()); break;
            default: writer.WriteStringValue(part.AsString()); break;
        }
    }

    private static int PayloadLength(FeatureValue part) => part.Type.Kind switch
    {
        ScalarKind.Int32 or ScalarKind.Int64 or ScalarKind.UnixTimestamp or ScalarKind.Float64 => 8,
        ScalarKind.Float32 => 4,
        ScalarKind.Bool => 1,
        ScalarKind.Bytes => part.AsBytes().Length,
        _ => StrictUtf8Length(part.AsString()),
    };

    private static int StrictUtf8Length(string text)
    {
        try
        {
            return StrictUtf8.GetByteCount(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, "An entity key string is not valid Unicode (it has an unpaired surrogate).", e);
        }
    }

    // Writes kind, length and payload at the start of destination (sized by PayloadLength); returns the bytes written.
    private static int WritePart(Span<byte> destination, FeatureValue part)
    {
        var length = PayloadLength(part);
        destination[0] = (byte)part.Type.Kind;
        var offset = 1 + Varint.Write(destination[1..], (ulong)length);
        var payload = destination.Slice(offset, length);
        switch (part.Type.Kind)
        {
            case ScalarKind.Int32 or ScalarKind.Int64 or ScalarKind.UnixTimestamp:
                BinaryPrimitives.WriteInt64BigEndian(payload, part.Type.Kind == ScalarKind.Int32 ? part.AsInt32() : part.AsInt64());
                break;
            case ScalarKind.Float32:
                BinaryPrimitives.WriteInt32BigEndian(payload, BitConverter.SingleToInt32Bits(part.AsFloat32()));
                break;
            case ScalarKind.Float64:
                BinaryPrimitives.WriteInt64BigEndian(payload, BitConverter.DoubleToInt64Bits(part.AsFloat64()));
                break;
            case ScalarKind.Bool:
                payload[0] = part.AsBool() ? (byte)1 : (byte)0;
                break;
            case ScalarKind.Bytes:
                part.AsBytes().CopyTo(payload);
                break;
            default:
                StrictUtf8.GetBytes(part.AsString(), payload);
                break;
        }

        return offset + length;
    }
}

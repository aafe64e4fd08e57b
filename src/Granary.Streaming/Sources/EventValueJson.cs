using System.Text;
using System.Text.Json;
using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.Streaming.Sources;

/// <summary>
/// Reads one JSON value of a stream message as its column's type, from the reader's current token: numbers for
/// integers and floats (an integer may be written with a zero fraction, <c>3.0</c>, never as a string), <c>true</c>
/// and <c>false</c>, strings, base64 strings for bytes, and for timestamps an ISO-8601 string or a number of seconds
/// since the epoch (<see cref="EventTimestamps"/>). <c>null</c> is a missing value.
/// </summary>
internal static class EventValueJson
{
    /// <summary>The value (a null value for JSON <c>null</c>), or null with the reason it is not one of <paramref name="type"/>.</summary>
    public static FeatureValue? Read(ref Utf8JsonReader reader, FeatureType type, out string? error)
    {
        error = null;
        var token = reader.TokenType;
        if (token == JsonTokenType.Null)
        {
            return FeatureValue.Null(type);
        }

        switch (type.Kind)
        {
            case ScalarKind.Int32 when token == JsonTokenType.Number && Integer(ref reader) is { } i && i is >= int.MinValue and <= int.MaxValue:
                return FeatureValue.Int32((int)i);
            case ScalarKind.Int64 when token == JsonTokenType.Number && Integer(ref reader) is { } l:
                return FeatureValue.Int64(l);
            case ScalarKind.Float32 when token == JsonTokenType.Number && reader.TryGetSingle(out var f) && float.IsFinite(f):
                return FeatureValue.Float32(f);
            case ScalarKind.Float64 when token == JsonTokenType.Number && reader.TryGetDouble(out var d) && double.IsFinite(d):
                return FeatureValue.Float64(d);
            case ScalarKind.Bool when token is JsonTokenType.True or JsonTokenType.False:
                return FeatureValue.Bool(token == JsonTokenType.True);
            case ScalarKind.String when token == JsonTokenType.String && String(ref reader) is { } text:
                return FeatureValue.String(text);
            case ScalarKind.Bytes when token == JsonTokenType.String && reader.TryGetBytesFromBase64(out var bytes):
                return FeatureValue.Bytes(bytes);
            case ScalarKind.UnixTimestamp when token == JsonTokenType.Number:
                return reader.TryGetDecimal(out var seconds) && EventTimestamps.FromSeconds(seconds, out error) is { } fromSeconds
                    ? FeatureValue.Timestamp(fromSeconds)
                    : Fail(ref error, $"{Raw(ref reader)} is not a number of seconds since the Unix epoch");
            case ScalarKind.UnixTimestamp when token == JsonTokenType.String && String(ref reader) is { } iso:
                return EventTimestamps.ParseIso(iso, out error) is { } micros ? FeatureValue.Timestamp(micros) : null;
            default:
                error = $"{Raw(ref reader)} is not {Expected(type)}";
                return null;
        }
    }

    /// <summary>An event id: a string, or a number as written (<c>42</c>); null with the reason otherwise.</summary>
    public static string? ReadId(ref Utf8JsonReader reader, out string? error)
    {
        error = null;
        var id = reader.TokenType switch
        {
            JsonTokenType.String => String(ref reader),
            JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
            _ => null,
        };
        if (id is null)
        {
            error = $"{Raw(ref reader)} is not an id (a string or a number)";
        }

        return id;
    }

    /// <summary>The current token as the message wrote it, cut short, for error messages.</summary>
    public static string Raw(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => $"the string \"{EventTimestamps.Shorten(Encoding.UTF8.GetString(reader.ValueSpan))}\"",
        _ => EventTimestamps.Shorten(Encoding.UTF8.GetString(reader.ValueSpan)),
    };

    // A whole number; 3.0 and 3e2 are whole too, as push accepts them, but 3.5 is not.
    private static long? Integer(ref Utf8JsonReader reader)
    {
        if (reader.TryGetInt64(out var whole))
        {
            return whole;
        }

        return reader.TryGetDecimal(out var number) && decimal.Truncate(number) == number && number is >= long.MinValue and <= long.MaxValue
            ? (long)number
            : null;
    }

    // Invalid UTF-8 or an escaped lone surrogate ("\ud800") would reach a store as a different string: refused.
    private static string? String(ref Utf8JsonReader reader)
    {
        try
        {
            var text = reader.GetString();
            return text is not null && StrictText.IsWellFormed(text) ? text : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static FeatureValue? Fail(ref string? error, string reason)
    {
        error ??= reason;
        return null;
    }

    private static string Expected(FeatureType type) => type.Kind switch
    {
        ScalarKind.Int32 or ScalarKind.Int64 => $"a whole number that fits {type}",
        ScalarKind.Float32 or ScalarKind.Float64 => "a finite number",
        ScalarKind.Bool => "true or false",
        ScalarKind.String => "a string (valid Unicode)",
        ScalarKind.Bytes => "a base64 string",
        _ => "an ISO-8601 string or a number of seconds since the Unix epoch",
    };
}

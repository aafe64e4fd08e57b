using System.Text.Json;

namespace Granary.Client.Http;

/// <summary>
/// The few reading steps every answer shares, over <see cref="Utf8JsonReader"/>; a malformed answer is one
/// <see cref="GranaryClientException"/> (<see cref="GranaryClientException.InvalidResponseCode"/>), never a JsonException.
/// </summary>
internal static class ResponseJson
{
    public static JsonTokenType Read(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.Read() ? reader.TokenType : throw Invalid("the answer ends early");
        }
        catch (JsonException e)
        {
            throw Invalid($"the answer is not JSON ({e.Message})");
        }
    }

    public static void Start(ref Utf8JsonReader reader)
    {
        Read(ref reader);
        Expect(ref reader, JsonTokenType.StartObject, "the answer");
    }

    /// <summary>Moves to the next property of the object the reader is in; false at its end.</summary>
    public static bool NextProperty(ref Utf8JsonReader reader) => Read(ref reader) == JsonTokenType.PropertyName;

    /// <summary>Skips the value of the property the reader is on: fields a newer server adds are ignored.</summary>
    public static void Skip(ref Utf8JsonReader reader)
    {
        Read(ref reader);
        try
        {
            reader.Skip();
        }
        catch (JsonException e)
        {
            throw Invalid($"the answer is not JSON ({e.Message})");
        }
    }

    public static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        if (reader.TokenType != type)
        {
            throw Invalid($"{what}: expected {type}, got {reader.TokenType}");
        }
    }

    public static string ReadString(ref Utf8JsonReader reader, string what)
    {
        Expect(ref reader, JsonTokenType.String, what);
        return reader.GetString()!;
    }

    public static long ReadInt64(ref Utf8JsonReader reader, string what)
    {
        Expect(ref reader, JsonTokenType.Number, what);
        return reader.TryGetInt64(out var value) ? value : throw Invalid($"{what}: not an integer");
    }

    public static bool ReadBoolean(ref Utf8JsonReader reader, string what) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw Invalid($"{what}: expected a boolean, got {reader.TokenType}"),
    };

    public static string[] ReadStrings(ref Utf8JsonReader reader, string what)
    {
        Expect(ref reader, JsonTokenType.StartArray, what);
        var strings = new List<string>();
        while (Read(ref reader) != JsonTokenType.EndArray)
        {
            strings.Add(ReadString(ref reader, what));
        }

        return [.. strings];
    }

    /// <summary>A feature value as <see cref="ReadValue"/> reads it, numbers and booleans unboxed.</summary>
    public static AnsweredValue ReadAnsweredValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null: return AnsweredValue.Null;
            case JsonTokenType.True: return AnsweredValue.FromBoolean(true);
            case JsonTokenType.False: return AnsweredValue.FromBoolean(false);
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var whole))
                {
                    return AnsweredValue.FromInt64(whole);
                }

                return reader.TryGetDouble(out var number) ? AnsweredValue.FromDouble(number) : throw Invalid("a value is a number outside a double's range");
            default:
                return AnsweredValue.FromObject(ReadValue(ref reader));
        }
    }

    /// <summary>A feature value: integers as <see cref="long"/>, other numbers as <see cref="double"/>, lists as <c>object?[]</c>.</summary>
    public static object? ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null: return null;
            case JsonTokenType.True: return true;
            case JsonTokenType.False: return false;
            case JsonTokenType.String: return reader.GetString();
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var whole))
                {
                    return whole;
                }

                return reader.TryGetDouble(out var number) ? number : throw Invalid("a value is a number outside a double's range");
            case JsonTokenType.StartArray:
                var items = new List<object?>();
                while (Read(ref reader) != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader));
                }

                return items.ToArray();
            default:
                throw Invalid($"a value is a {reader.TokenType}, not a number, string, boolean, null or list");
        }
    }

    /// <summary>An event time, ISO-8601; the Unix epoch (how Feast writes "none") and null read as none.</summary>
    public static DateTimeOffset? ReadEventTime(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var time))
        {
            throw Invalid("an event timestamp is not an ISO-8601 time");
        }

        return time.UtcTicks == UnixEpochTicks ? null : time;
    }

    public static void CheckCount(int index, int expected, string what)
    {
        if (index >= expected)
        {
            throw Invalid($"{what} has more than the {expected} entities asked for");
        }
    }

    public static void CheckEnd(int count, int expected, string what)
    {
        if (count != expected)
        {
            throw Invalid($"{what} has {count} entries for the {expected} entities asked for");
        }
    }

    public static GranaryClientException Invalid(string what) =>
        new(GranaryClientException.InvalidResponseCode, $"The server's answer cannot be read: {what}.", httpStatus: null, isTransient: false, mayHaveReachedServer: true);

    private const long UnixEpochTicks = 621355968000000000;
}

using System.Text.Json;
using Granary.Errors;

namespace Granary.Server.Http;

/// <summary>
/// Reading pieces of request bodies with <see cref="Utf8JsonReader"/>: values as the facade takes them (whole numbers
/// as long, others as double, strings, bools, null, lists), column-major tables and string lists. A value of the
/// wrong shape is <c>invalid_argument</c> naming its field; malformed JSON surfaces as the reader's
/// <see cref="JsonException"/>, which the endpoints turn into <c>invalid_json</c>.
/// </summary>
internal static class JsonFields
{
    [ThreadStatic]
    private static List<string>? t_strings;

    /// <summary>
    /// Reads the value the reader is on (after <c>Read</c> past its property name). <paramref name="field"/>,
    /// <paramref name="column"/> and <paramref name="index"/> (-1: none) name it in errors; the path is only built
    /// when there is one.
    /// </summary>
    public static object? ReadValue(ref Utf8JsonReader reader, string field, string? column = null, int index = -1)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null: return null;
            case JsonTokenType.True: return true;
            case JsonTokenType.False: return false;
            case JsonTokenType.String: return reader.GetString();
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var whole) ? whole : reader.GetDouble();
            case JsonTokenType.StartArray:
                var items = new List<object?>();
                while (Next(ref reader) != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, field, column, index));
                }

                return items;
            default:
                throw Invalid($"{field}{(column is null ? "" : $".{column}")}{(index < 0 ? "" : $"[{index}]")}: expected a number, string, boolean, null or list, got an object.");
        }
    }

    /// <summary>Reads <c>{"column": [values...], ...}</c>: Feast's column-major <c>entities</c> and <c>df</c>.</summary>
    public static Dictionary<string, IReadOnlyList<object?>> ReadColumns(ref Utf8JsonReader reader, string field)
    {
        Expect(ref reader, JsonTokenType.StartObject, field, "an object of columns, e.g. {\"user_id\": [1, 2]}");
        var columns = new Dictionary<string, IReadOnlyList<object?>>(StringComparer.Ordinal);
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            var name = Utf8Names.Get(ref reader);
            Next(ref reader);
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw Invalid($"{field}.{name}: expected a list of values.");
            }

            var values = new List<object?>();
            while (Next(ref reader) != JsonTokenType.EndArray)
            {
                values.Add(ReadValue(ref reader, field, name, values.Count));
            }

            if (!columns.TryAdd(name, values))
            {
                throw Invalid($"{field}.{name}: given twice.");
            }
        }

        return columns;
    }

    /// <summary>Reads <c>["a", "b"]</c>; null reads as an empty list.</summary>
    public static string[] ReadStrings(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return [];
        }

        Expect(ref reader, JsonTokenType.StartArray, field, "a list of strings");

        // Gathered in a list kept per thread, then copied once: the answer is one array of the exact size.
        var items = t_strings ??= new List<string>(16);
        items.Clear();
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            items.Add(reader.TokenType == JsonTokenType.String ? Utf8Names.Get(ref reader) : throw Invalid($"{field}[{items.Count}]: expected a string."));
        }

        var strings = items.ToArray();
        items.Clear();
        if (items.Capacity > 1024)
        {
            t_strings = null;   // a huge list (a body naming thousands of features) is not kept for the thread's lifetime
        }

        return strings;
    }

    public static string? ReadString(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.String => Utf8Names.Get(ref reader),
        JsonTokenType.Null => null,
        _ => throw Invalid($"{field}: expected a string."),
    };

    public static bool ReadBool(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False or JsonTokenType.Null => false,
        _ => throw Invalid($"{field}: expected true or false."),
    };

    /// <summary>Moves to the body's opening brace; anything else is not a request.</summary>
    public static void StartBody(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new GranaryException(ServerErrorCodes.InvalidJson, "The request body is empty; send a JSON object.");
        }

        Expect(ref reader, JsonTokenType.StartObject, "body", "a JSON object");
    }

    /// <summary>After the body's closing brace, only whitespace may follow (the reader throws otherwise).</summary>
    public static void EndBody(ref Utf8JsonReader reader)
    {
        while (reader.Read())
        {
        }
    }

    public static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new GranaryException(ServerErrorCodes.InvalidJson, "The request body ends in the middle of the JSON.");
        }

        return reader.TokenType;
    }

    public static GranaryException Invalid(string detail) => new(ErrorCodes.InvalidArgument, detail);

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token, string field, string what)
    {
        if (reader.TokenType != token)
        {
            throw Invalid($"{field}: expected {what}.");
        }
    }
}

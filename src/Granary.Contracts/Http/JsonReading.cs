using System.Text.Json;
using Granary.Contracts.Errors;
using Granary.Contracts.Text;

namespace Granary.Contracts.Http;

/// <summary>
/// Reading pieces of request bodies with <see cref="Utf8JsonReader"/>: values as CLR primitives (whole numbers as
/// long, others as double, or decimal where a whole-looking number needs it; strings, bools, null, lists),
/// column-major tables and string lists. A value of the wrong shape is a <see cref="JsonBodyException"/> with
/// <c>invalid_argument</c>, naming its field; malformed JSON surfaces as the reader's <see cref="JsonException"/>,
/// which a server turns into <c>invalid_json</c>.
/// </summary>
internal static class JsonReading
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
            case JsonTokenType.String: return Text(ref reader, field, column, index);
            case JsonTokenType.Number:
                // Boxed apart: in one conditional expression the long would be converted to double first.
                if (reader.TryGetInt64(out var whole))
                {
                    return whole;
                }

                if (!reader.TryGetDouble(out var number) || !double.IsFinite(number))
                {
                    throw Invalid($"{Path(field, column, index)}: {System.Text.Encoding.UTF8.GetString(reader.ValueSpan)} is outside the range of a JSON number Granary stores (int64 or a finite double).");
                }

                // A double that looks whole may be a whole number written with a fraction or exponent
                // (9007199254740993.0) or a fraction rounded away (4503599627370497.5): the decimal keeps which, and
                // the exact value, where a double cannot beyond 2^53.
                return Math.Truncate(number) == number && reader.TryGetDecimal(out var exact) ? exact : number;
            case JsonTokenType.StartArray:
                var items = new List<object?>();
                while (Next(ref reader) != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, field, column, index));
                }

                return items;
            default:
                throw Invalid($"{Path(field, column, index)}: expected a number, string, boolean, null or list, got an object.");
        }
    }

    /// <summary>
    /// The string or property name the reader is on, refusing text that has no UTF-16 form (invalid UTF-8, or an
    /// escaped lone surrogate such as <c>"\ud800"</c>) with the field it is in.
    /// </summary>
    public static string Name(ref Utf8JsonReader reader, string field, string? column = null, int index = -1)
    {
        try
        {
            var name = Utf8Names.Get(ref reader);

            // Only an escape can spell a lone surrogate; unescaped text that is not UTF-8 throws in the reader.
            return !reader.ValueIsEscaped || WellFormedText.IsWellFormed(name) ? name : throw NotUnicode(field, column, index);
        }
        catch (InvalidOperationException)
        {
            throw NotUnicode(field, column, index);
        }
    }

    private static string Text(ref Utf8JsonReader reader, string field, string? column, int index)
    {
        try
        {
            var text = reader.GetString()!;
            return WellFormedText.IsWellFormed(text) ? text : throw NotUnicode(field, column, index);
        }
        catch (InvalidOperationException)
        {
            throw NotUnicode(field, column, index);
        }
    }

    private static JsonBodyException NotUnicode(string field, string? column, int index) =>
        Invalid($"{Path(field, column, index)}: not valid Unicode (invalid UTF-8 or an unpaired surrogate escape such as \\ud800).");

    private static string Path(string field, string? column, int index) =>
        $"{field}{(column is null ? "" : $".{column}")}{(index < 0 ? "" : $"[{index}]")}";

    /// <summary>Reads <c>{"column": [values...], ...}</c>: Feast's column-major <c>entities</c> and <c>df</c>.</summary>
    public static Dictionary<string, IReadOnlyList<object?>> ReadColumns(ref Utf8JsonReader reader, string field)
    {
        Expect(ref reader, JsonTokenType.StartObject, field, "an object of columns, e.g. {\"user_id\": [1, 2]}");
        var columns = new Dictionary<string, IReadOnlyList<object?>>(StringComparer.Ordinal);
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            var name = Name(ref reader, field);
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
            items.Add(reader.TokenType == JsonTokenType.String
                ? Name(ref reader, field, index: items.Count)
                : throw Invalid($"{field}[{items.Count}]: expected a string, got {Describe(reader.TokenType)}."));
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
        JsonTokenType.String => Name(ref reader, field),
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
            throw new JsonBodyException(ErrorCodes.InvalidJson, "The request body is empty; send a JSON object.");
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
            throw new JsonBodyException(ErrorCodes.InvalidJson, "The request body ends in the middle of the JSON.");
        }

        return reader.TokenType;
    }

    public static JsonBodyException Invalid(string detail) => new(ErrorCodes.InvalidArgument, detail);

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.Null => "null",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.StartArray => "a list",
        _ => "an object",
    };

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token, string field, string what)
    {
        if (reader.TokenType != token)
        {
            throw Invalid($"{field}: expected {what}.");
        }
    }
}

using System.Text.Json;
using Granary.Contracts.Errors;
using Granary.Contracts.Text;

namespace Granary.Contracts.Http.Governance;

/// <summary>
/// Reads the governance API's request bodies: small, rare and nested, so parsed whole into a
/// <see cref="JsonDocument"/> (malformed JSON is the reader's <see cref="JsonException"/>, which a server answers
/// as <c>invalid_json</c>) and then read field by field, each value of the wrong shape refused with
/// <c>invalid_argument</c> naming its path (<c>validation_rules[1].rule_type</c>). A field given as null reads as
/// not given; properties a body has beyond its definition are skipped, as everywhere in the API.
/// </summary>
internal static class GovernanceBodyReader
{
    /// <summary>Parses <paramref name="body"/> and hands its root object to <paramref name="read"/>.</summary>
    public static T Read<T>(ReadOnlySpan<byte> body, Func<JsonElement, T> read)
    {
        if (body.IsEmpty)
        {
            throw new JsonBodyException(ErrorCodes.InvalidJson, "The request body is empty; send a JSON object.");
        }

        var reader = new Utf8JsonReader(body);
        using var document = JsonDocument.ParseValue(ref reader);
        JsonReading.EndBody(ref reader);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw JsonReading.Invalid($"body: expected a JSON object, got {Describe(document.RootElement.ValueKind)}.");
        }

        return read(document.RootElement);
    }

    /// <summary>The field's string, or null when it is absent or null.</summary>
    public static string? String(JsonElement body, JsonField field, string prefix = "")
    {
        if (!TryGet(body, field, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? Text(value, prefix + field.Name)
            : throw Wrong(prefix + field.Name, "a string", value);
    }

    /// <summary>The field's string, refused when absent, null or blank.</summary>
    public static string RequiredString(JsonElement body, JsonField field, string prefix = "")
    {
        var text = String(body, field, prefix);
        return string.IsNullOrWhiteSpace(text) ? throw JsonReading.Invalid($"{prefix}{field.Name}: missing; it is required.") : text!;
    }

    /// <summary>An enum field: one of its allowed values (any case), or null when absent.</summary>
    public static string? Enum(JsonElement body, JsonField field, string prefix = "")
    {
        var text = String(body, field, prefix);
        if (text is null)
        {
            return null;
        }

        foreach (var allowed in field.AllowedValues)
        {
            if (string.Equals(allowed, text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return allowed;
            }
        }

        throw JsonReading.Invalid($"{prefix}{field.Name}: '{text}' is not one of {string.Join(", ", field.AllowedValues)}.");
    }

    /// <summary>A list of strings, or null when absent.</summary>
    public static IReadOnlyList<string>? Strings(JsonElement body, JsonField field, string prefix = "")
    {
        if (!TryGet(body, field, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Wrong(prefix + field.Name, "a list of strings", value);
        }

        var items = new List<string>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            var path = $"{prefix}{field.Name}[{items.Count}]";
            items.Add(item.ValueKind == JsonValueKind.String ? Text(item, path) : throw Wrong(path, "a string", item));
        }

        return items;
    }

    public static bool? Boolean(JsonElement body, JsonField field, string prefix = "")
    {
        if (!TryGet(body, field, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Wrong(prefix + field.Name, "true or false", value),
        };
    }

    /// <summary>A finite number, or null when absent.</summary>
    public static double? Number(JsonElement body, JsonField field, string prefix = "")
    {
        if (!TryGet(body, field, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && IsFinite(number)
            ? number
            : throw Wrong(prefix + field.Name, "a number", value);
    }

    /// <summary>An object field read by <paramref name="read"/> (given the path prefix of its fields), or null when absent.</summary>
    public static T? Object<T>(JsonElement body, JsonField field, Func<JsonElement, string, T> read, string prefix = "")
        where T : class
    {
        if (!TryGet(body, field, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? read(value, $"{prefix}{field.Name}.") : throw Wrong(prefix + field.Name, "an object", value);
    }

    /// <summary>A list of objects, each read by <paramref name="read"/>, or null when absent.</summary>
    public static IReadOnlyList<T>? Objects<T>(JsonElement body, JsonField field, Func<JsonElement, string, T> read, string prefix = "")
    {
        if (!TryGet(body, field, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Wrong(prefix + field.Name, "a list of objects", value);
        }

        var items = new List<T>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            var path = $"{prefix}{field.Name}[{items.Count}]";
            items.Add(item.ValueKind == JsonValueKind.Object ? read(item, path + ".") : throw Wrong(path, "an object", item));
        }

        return items;
    }

    /// <summary>An object of any JSON values, each cloned out of the document, ordered by name; empty when absent.</summary>
    public static IReadOnlyDictionary<string, JsonElement> AnyObject(JsonElement body, JsonField field, string prefix = "")
    {
        var values = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        if (!TryGet(body, field, out var value))
        {
            return values;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Wrong(prefix + field.Name, "an object", value);
        }

        foreach (var property in value.EnumerateObject())
        {
            if (!values.ContainsKey(property.Name))
            {
                values.Add(property.Name, property.Value.Clone());
            }
            else
            {
                throw JsonReading.Invalid($"{prefix}{field.Name}.{property.Name}: given twice.");
            }
        }

        return values;
    }

    private static bool TryGet(JsonElement body, JsonField field, out JsonElement value) =>
        body.TryGetProperty(field.Name, out value) && value.ValueKind != JsonValueKind.Null;

    private static string Text(JsonElement value, string path)
    {
        try
        {
            var text = value.GetString()!;
            return WellFormedText.IsWellFormed(text) ? text : throw NotUnicode(path);
        }
        catch (InvalidOperationException)
        {
            throw NotUnicode(path);
        }
    }

    private static JsonBodyException NotUnicode(string path) =>
        JsonReading.Invalid($"{path}: not valid Unicode (invalid UTF-8 or an unpaired surrogate escape such as \\ud800).");

    private static bool IsFinite(double value) => !double.IsNaN(value) && !double.IsInfinity(value);

    private static JsonBodyException Wrong(string path, string expected, JsonElement value) =>
        JsonReading.Invalid($"{path}: expected {expected}, got {Describe(value.ValueKind)}.");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.Number => "a number",
        JsonValueKind.String => "a string",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "a list",
        _ => "an object",
    };
}

using System.Text;
using System.Text.Json;

namespace Granary.Contracts.Http;

/// <summary>
/// One field of a JSON body: its name (as text for messages, as UTF-8 for the reader to match, pre-escaped for the
/// writer), what it holds, whether it is required, and what it means. The reader, the writer and the OpenAPI
/// document all take the name from here, so a field is renamed in one place or not at all.
/// </summary>
internal sealed class JsonField
{
    private readonly byte[] _utf8;

    public JsonField(string name, JsonFieldKind kind, string description, bool required = false, IReadOnlyList<string>? allowedValues = null, JsonBodySchema? body = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(description);
        if (kind == JsonFieldKind.Enum ? allowedValues is not { Count: > 0 } : allowedValues is not null && kind != JsonFieldKind.StringList)
        {
            throw new ArgumentException($"Field '{name}': an enum field lists its allowed values, and only an enum or a list of strings may.", nameof(allowedValues));
        }

        if ((kind is JsonFieldKind.Object or JsonFieldKind.ObjectList) != (body is not null))
        {
            throw new ArgumentException($"Field '{name}': an object field, and only one, describes its object's fields.", nameof(body));
        }

        Name = name;
        Kind = kind;
        Description = description;
        Required = required;
        AllowedValues = allowedValues ?? [];
        Body = body;
        _utf8 = Encoding.UTF8.GetBytes(name);
        EncodedName = JsonEncodedText.Encode(_utf8);
    }

    /// <summary>The property name, as errors quote it.</summary>
    public string Name { get; }

    /// <summary>The property name in UTF-8, for <see cref="Utf8JsonReader.ValueTextEquals(ReadOnlySpan{byte})"/>.</summary>
    public ReadOnlySpan<byte> Utf8Name => _utf8;

    /// <summary>The property name escaped once, for <see cref="Utf8JsonWriter"/>.</summary>
    public JsonEncodedText EncodedName { get; }

    public JsonFieldKind Kind { get; }

    /// <summary>What the field means, for the OpenAPI document.</summary>
    public string Description { get; }

    /// <summary>Whether a body without the field is refused (a request) or never written without it (a response).</summary>
    public bool Required { get; }

    /// <summary>The values an <see cref="JsonFieldKind.Enum"/> field (or the items of a <see cref="JsonFieldKind.StringList"/>) take; empty when any.</summary>
    public IReadOnlyList<string> AllowedValues { get; }

    /// <summary>The fields of an <see cref="JsonFieldKind.Object"/> or <see cref="JsonFieldKind.ObjectList"/> field's objects.</summary>
    public JsonBodySchema? Body { get; }

    public override string ToString() => Name;
}

using System.Text.Json;

namespace Granary.Client.Http;

/// <summary>
/// Reads the registry's read-only views: <c>{"project", "registry_version", "&lt;kind&gt;": [object...]}</c> and one
/// object, <c>{"name", "spec", "meta": {"hash", "created_version", "updated_version", "created_at", "updated_at"}}</c>.
/// Not a hot path: <see cref="JsonDocument"/> keeps each spec as a detached element.
/// </summary>
internal static class RegistryResponseReader
{
    public static IReadOnlyList<RegistryObject> ReadList(ReadOnlyMemory<byte> body, RegistryObjectKind kind, string property)
    {
        using var document = Parse(body);
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty(property, out var list)
            || list.ValueKind != JsonValueKind.Array)
        {
            throw ResponseJson.Invalid($"the answer has no list '{property}'");
        }

        var objects = new List<RegistryObject>(list.GetArrayLength());
        foreach (var item in list.EnumerateArray())
        {
            objects.Add(ReadObject(item, kind));
        }

        return objects;
    }

    public static RegistryObject ReadOne(ReadOnlyMemory<byte> body, RegistryObjectKind kind)
    {
        using var document = Parse(body);
        return ReadObject(document.RootElement, kind);
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw ResponseJson.Invalid($"the answer is not JSON ({e.Message})");
        }
    }

    private static RegistryObject ReadObject(JsonElement item, RegistryObjectKind kind)
    {
        if (item.ValueKind != JsonValueKind.Object
            || !item.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
            || !item.TryGetProperty("spec", out var spec)
            || !item.TryGetProperty("meta", out var meta) || meta.ValueKind != JsonValueKind.Object)
        {
            throw ResponseJson.Invalid("a registry object lacks name, spec or meta");
        }

        try
        {
            return new RegistryObject(
                kind,
                name.GetString()!,
                spec.Clone(),
                meta.GetProperty("hash").GetString() ?? "",
                meta.GetProperty("created_version").GetInt64(),
                meta.GetProperty("updated_version").GetInt64(),
                meta.GetProperty("created_at").GetDateTimeOffset(),
                meta.GetProperty("updated_at").GetDateTimeOffset());
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw ResponseJson.Invalid($"registry object '{name.GetString()}' has a malformed meta ({e.Message})");
        }
    }
}

using System.Text.Json;
using Granary.Core.Model;
using Granary.Registry.Alerts;
using Granary.Registry.Storage;

namespace Granary.Registry.Serialization;

/// <summary>
/// The JSON form in which the registry is shown to users: the feature server's <c>GET /{kind}/{name}</c> and
/// <c>granary registry-dump</c> write objects and saved datasets through here, so both show the same bytes.
/// </summary>
internal static class RegistryJson
{
    /// <summary>
    /// Writes the properties of one object (the caller writes the braces): <c>name</c>, <c>spec</c> (its canonical JSON,
    /// exactly as the registry stores and hashes it, except that an alert's webhook is redacted) and <c>meta</c> (hash,
    /// versions, timestamps).
    /// </summary>
    public static void WriteObjectProperties(Utf8JsonWriter writer, StoredObject stored)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(stored);
        writer.WriteString("name"u8, stored.Name);
        writer.WritePropertyName("spec"u8);
        writer.WriteRawValue(ShownSpec(stored), skipInputValidation: true);
        writer.WriteStartObject("meta"u8);
        writer.WriteString("hash"u8, stored.Hash);
        writer.WriteNumber("created_version"u8, stored.CreatedVersion);
        writer.WriteNumber("updated_version"u8, stored.UpdatedVersion);
        writer.WriteString("created_at"u8, stored.CreatedAt.ToUniversalTime());
        writer.WriteString("updated_at"u8, stored.UpdatedAt.ToUniversalTime());
        writer.WriteEndObject();
    }

    /// <summary>An object's spec as users may see it: an alert's webhook URL is a secret, so it is shown redacted.</summary>
    public static string ShownSpec(StoredObject stored) =>
        stored.Kind == ObjectKind.Alert ? WebhookUrl.RedactSpec(stored.Spec) : stored.Spec;

    /// <summary>
    /// Writes the properties of one saved dataset: <c>name</c> and <c>spec</c>, the record as the registry stores it
    /// (features, entities, time range, rows, output, registry version, who saved it and when).
    /// </summary>
    public static void WriteDatasetProperties(Utf8JsonWriter writer, SavedDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(dataset);
        writer.WriteString("name"u8, dataset.Name);
        writer.WritePropertyName("spec"u8);
        writer.WriteRawValue(DatasetJson.Serialize(dataset), skipInputValidation: true);
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Granary.Quality.Profiles;

/// <summary>
/// The JSON of a profile: what the registry stores (with baselines), what <c>granary profile --format json</c> prints
/// and the API returns (without). Field names are snake_case: <c>null_count</c>, <c>stddev</c>, <c>top_k</c>.
/// </summary>
internal static class ProfileJson
{
    public static string Serialize(ViewProfile profile) => JsonSerializer.Serialize(profile, ProfileJsonContext.Default.ViewProfile);

    public static void Write(Utf8JsonWriter writer, ViewProfile profile) => JsonSerializer.Serialize(writer, profile, ProfileJsonContext.Default.ViewProfile);

    /// <summary>
    /// A profile as reports show it, without its baselines, in compact UTF-8: the bytes <c>granary profile --format
    /// json</c> prints and <c>GET /api/v1/monitoring/profiles/{id}</c> answers.
    /// </summary>
    public static byte[] Report(ViewProfile profile) =>
        JsonSerializer.SerializeToUtf8Bytes(profile.WithoutBaselines(), ProfileJsonContext.Default.ViewProfile);

    /// <summary>
    /// <c>{"profiles": [summary...], "total": N}</c>: a view's stored profiles (each its id, view, period, creation
    /// time, engine and rows, without its features), what <c>granary profile list --format json</c> prints and
    /// <c>GET /api/v1/monitoring/profiles?view=V</c> answers.
    /// </summary>
    public static void WriteList(Utf8JsonWriter writer, IReadOnlyList<ViewProfile> profiles, int total)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("profiles"u8);
        foreach (var profile in profiles)
        {
            WriteSummary(writer, profile);
        }

        writer.WriteEndArray();
        writer.WriteNumber("total"u8, total);
        writer.WriteEndObject();
    }

    /// <summary>The list of <see cref="WriteList"/> in compact UTF-8.</summary>
    public static byte[] List(IReadOnlyList<ViewProfile> profiles, int total)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteList(writer, profiles, total);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A profile's fields but its features, named as in the whole profile.</summary>
    public static void WriteSummary(Utf8JsonWriter writer, ViewProfile profile)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, profile.Id);
        writer.WriteString("view"u8, profile.View);
        writer.WriteString("start"u8, profile.Start);
        writer.WriteString("end"u8, profile.End);
        writer.WriteString("created_at"u8, profile.CreatedAt);
        writer.WriteString("engine"u8, profile.Engine);
        writer.WriteNumber("rows"u8, profile.Rows);
        writer.WriteEndObject();
    }

    /// <summary>A stored profile; a <see cref="JsonException"/> when the text is not one.</summary>
    public static ViewProfile Deserialize(string json) =>
        JsonSerializer.Deserialize(json, ProfileJsonContext.Default.ViewProfile) ?? throw new JsonException("A stored profile is null.");
}

/// <summary>Source-generated (reflection-free) serialization of profiles. NaN and infinities (in float data) are written as strings.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(ViewProfile))]
internal sealed partial class ProfileJsonContext : JsonSerializerContext;

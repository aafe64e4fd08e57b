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

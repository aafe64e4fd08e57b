using System.Text.Json;
using System.Text.Json.Serialization;

namespace Granary.Server.Http.Schemas;

/// <summary>
/// The OpenAPI description of <c>POST /get-online-features</c>'s body (Feast's). Documentation only: the endpoint
/// parses the body with <see cref="Utf8JsonReader"/> (<see cref="OnlineRequestJson"/>), never through this type.
/// </summary>
internal sealed record OnlineFeaturesRequestSchema(
    [property: JsonPropertyName("features")] IReadOnlyList<string>? Features,
    [property: JsonPropertyName("feature_service")] string? FeatureService,
    [property: JsonPropertyName("entities")] IReadOnlyDictionary<string, IReadOnlyList<JsonElement>> Entities,
    [property: JsonPropertyName("full_feature_names")] bool FullFeatureNames);

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Granary.Server.Http.Schemas;

/// <summary>The OpenAPI description of <c>POST /write-to-online-store</c>'s body (Feast's). Documentation only.</summary>
internal sealed record WriteToOnlineStoreRequestSchema(
    [property: JsonPropertyName("feature_view_name")] string FeatureViewName,
    [property: JsonPropertyName("df")] IReadOnlyDictionary<string, IReadOnlyList<JsonElement>> Df);

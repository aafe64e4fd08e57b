using System.Text.Json;
using System.Text.Json.Serialization;

namespace Granary.Server.Http.Schemas;

/// <summary>
/// The OpenAPI description of <c>POST /push</c>'s body (Feast's): rows column-major in <c>df</c>, written
/// <c>online</c>, <c>offline</c> or <c>online_and_offline</c>. Documentation only: <c>PushRequestJson</c> parses it.
/// </summary>
internal sealed record PushRequestSchema(
    [property: JsonPropertyName("push_source_name")] string PushSourceName,
    [property: JsonPropertyName("df")] IReadOnlyDictionary<string, IReadOnlyList<JsonElement>> Df,
    [property: JsonPropertyName("to")] string? To);

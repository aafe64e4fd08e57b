using System.Text.Json.Serialization;

namespace Granary.Server.Http.Schemas;

/// <summary>The OpenAPI description of every refusal: a stable code and what was wrong, and where. Documentation only: <c>ErrorResponses</c> writes it.</summary>
internal sealed record ErrorSchema(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("detail")] string Detail);

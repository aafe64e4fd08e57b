using System.Text.Json;
using System.Text.Json.Serialization;

namespace Granary.Server.Http.Schemas;

/// <summary>
/// The OpenAPI description of <c>POST /get-online-features</c>'s answer, column-major as Feast's: one result per name
/// in <c>metadata.feature_names</c> (join keys, then features). Documentation only: <c>OnlineResponseJson</c> writes it.
/// </summary>
internal sealed record OnlineFeaturesResponseSchema(
    [property: JsonPropertyName("metadata")] OnlineFeaturesMetadataSchema Metadata,
    [property: JsonPropertyName("results")] IReadOnlyList<OnlineFeatureVectorSchema> Results);

/// <summary>The names of the answer's columns.</summary>
internal sealed record OnlineFeaturesMetadataSchema([property: JsonPropertyName("feature_names")] IReadOnlyList<string> FeatureNames);

/// <summary>One column: per entity a value, a status (PRESENT, NULL_VALUE, NOT_FOUND, OUTSIDE_MAX_AGE) and an ISO-8601 UTC event time.</summary>
internal sealed record OnlineFeatureVectorSchema(
    [property: JsonPropertyName("values")] IReadOnlyList<JsonElement> Values,
    [property: JsonPropertyName("statuses")] IReadOnlyList<string> Statuses,
    [property: JsonPropertyName("event_timestamps")] IReadOnlyList<string> EventTimestamps);

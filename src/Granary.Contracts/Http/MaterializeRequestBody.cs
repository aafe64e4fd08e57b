using System.Text.Json.Serialization;

namespace Granary.Contracts.Http;

/// <summary>
/// Feast's <c>/materialize</c> and <c>/materialize-incremental</c> bodies as read (<see cref="MaterializeRequestJson"/>):
/// times as the text sent (an ISO-8601 instant or <c>now</c>), for the server to read against its clock.
/// </summary>
internal sealed class MaterializeRequestBody
{
    [JsonPropertyName(MaterializeRequestJson.StartTsName)]
    public string? StartTs { get; set; }

    [JsonPropertyName(MaterializeRequestJson.EndTsName)]
    public string? EndTs { get; set; }

    [JsonPropertyName(MaterializeRequestJson.FeatureViewsName)]
    public List<string>? FeatureViews { get; set; }
}

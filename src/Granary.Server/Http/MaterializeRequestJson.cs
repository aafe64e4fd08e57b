using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;

namespace Granary.Server.Http;

/// <summary>Feast's <c>/materialize</c> and <c>/materialize-incremental</c> bodies; rare and small, so read with source-generated System.Text.Json.</summary>
internal sealed class MaterializeRequestJson
{
    [JsonPropertyName("start_ts")]
    public string? StartTs { get; set; }

    [JsonPropertyName("end_ts")]
    public string? EndTs { get; set; }

    [JsonPropertyName("feature_views")]
    public List<string>? FeatureViews { get; set; }

    public static MaterializeRequestJson Parse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            throw new GranaryException(ServerErrorCodes.InvalidJson, "The request body is empty; send a JSON object.");
        }

        return JsonSerializer.Deserialize(body, ServerJsonContext.Default.MaterializeRequestJson)
            ?? throw JsonFields.Invalid("body: expected a JSON object, got null.");
    }

    /// <summary>An ISO-8601 instant (UTC unless a zone is given) or <c>now</c>.</summary>
    public static DateTimeOffset Time(string? text, string field)
    {
        if (text is null)
        {
            throw JsonFields.Invalid($"{field}: missing; give an ISO-8601 time such as 2026-11-01T00:00:00Z.");
        }

        if (string.Equals(text, "now", StringComparison.OrdinalIgnoreCase))
        {
            return DateTimeOffset.UtcNow;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : throw JsonFields.Invalid($"{field}: '{text}' is not a time; use ISO-8601 (2026-11-01, 2026-11-01T12:00:00Z) or 'now'.");
    }
}

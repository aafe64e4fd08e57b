using System.Text.Json;
using Granary.Contracts.Errors;

namespace Granary.Contracts.Http;

/// <summary>
/// Feast's <c>/materialize</c> (<c>{"start_ts", "end_ts", "feature_views"}</c>) and <c>/materialize-incremental</c>
/// (<c>{"end_ts", "feature_views"}</c>) bodies: their definitions and their reader. Rare and small, so read with
/// source-generated System.Text.Json, whose property names are this class's constants, as the fields' are.
/// </summary>
internal static class MaterializeRequestJson
{
    internal const string StartTsName = "start_ts";
    internal const string EndTsName = "end_ts";
    internal const string FeatureViewsName = "feature_views";

    private const string TimeFormats = "An ISO-8601 instant (2026-11-01, 2026-11-01T12:00:00Z; UTC unless a zone is given) or 'now'.";

    public static readonly JsonField StartTs = new(StartTsName, JsonFieldKind.String, $"The start of the interval. {TimeFormats}", required: true);

    public static readonly JsonField EndTs = new(EndTsName, JsonFieldKind.String, $"The end of the interval. {TimeFormats}", required: true);

    public static readonly JsonField FeatureViews = new(FeatureViewsName, JsonFieldKind.StringList, "The feature views to materialize; every online view when not given.");

    public static JsonBodySchema MaterializeSchema { get; } = new(
        "MaterializeRequest", "Load the latest values in [start_ts, end_ts] into the online store.", [StartTs, EndTs, FeatureViews]);

    public static JsonBodySchema IncrementalSchema { get; } = new(
        "MaterializeIncrementalRequest", "Continue materialization from each view's watermark to end_ts.", [EndTs, FeatureViews]);

    public static MaterializeRequestBody Parse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            throw new JsonBodyException(ErrorCodes.InvalidJson, "The request body is empty; send a JSON object.");
        }

        return JsonSerializer.Deserialize(body, ContractsJsonContext.Default.MaterializeRequestBody)
            ?? throw JsonReading.Invalid("body: expected a JSON object, got null.");
    }
}

using System.Text.Json;

namespace Granary.Contracts.Http;

/// <summary>
/// Feast's <c>/get-online-features</c> body,
/// <c>{"features": ["view:feature"], "feature_service": "name", "entities": {"join_key": [...]}, "full_feature_names": true, "request_context": {"field": [...]}}</c>:
/// its definition (<see cref="Schema"/>) and its reader, one pass with <see cref="Utf8JsonReader"/>. Unknown properties
/// are skipped, as Feast's server does with fields a newer client sends.
/// </summary>
internal static class OnlineFeaturesRequestJson
{
    public static readonly JsonField Features = new(
        "features", JsonFieldKind.StringList, "Feature references, view:feature. Give these or feature_service.");

    public static readonly JsonField FeatureService = new(
        "feature_service", JsonFieldKind.String, "A feature service whose features to read, instead of features.");

    public static readonly JsonField Entities = new(
        "entities", JsonFieldKind.Columns, "Join key -> its values, one per entity; every list has the same length.", required: true);

    public static readonly JsonField FullFeatureNames = new(
        "full_feature_names", JsonFieldKind.Boolean, "Name feature columns view__feature rather than feature.");

    public static readonly JsonField RequestContext = new(
        "request_context", JsonFieldKind.Columns, "Request data for on-demand feature views (Feast's request_context): field -> its values, one per entity.");

    public static readonly JsonField Experiment = new(
        "experiment", JsonFieldKind.String, "An experiment whose variant, assigned from unit_id, decides which version of its feature view is read.");

    public static readonly JsonField UnitId = new(
        "unit_id", JsonFieldKind.String, "The unit (a user, a session) assigned a variant of experiment; required with it.");

    public static JsonBodySchema Schema { get; } = new(
        "OnlineFeaturesRequest", "The latest features of a few entities (Feast's get-online-features request).", [Features, FeatureService, Entities, FullFeatureNames, RequestContext, Experiment, UnitId]);

    public static OnlineFeaturesRequestBody Parse(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        JsonReading.StartBody(ref reader);
        IReadOnlyList<string> features = [];
        string? service = null;
        Dictionary<string, IReadOnlyList<object?>>? entities = null;
        var fullNames = false;
        Dictionary<string, IReadOnlyList<object?>>? requestContext = null;
        string? experiment = null;
        string? unitId = null;
        while (JsonReading.Next(ref reader) != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals(Features.Utf8Name))
            {
                JsonReading.Next(ref reader);
                features = JsonReading.ReadStrings(ref reader, Features.Name);
            }
            else if (reader.ValueTextEquals(FeatureService.Utf8Name))
            {
                JsonReading.Next(ref reader);
                service = JsonReading.ReadString(ref reader, FeatureService.Name);
            }
            else if (reader.ValueTextEquals(Entities.Utf8Name))
            {
                JsonReading.Next(ref reader);
                entities = JsonReading.ReadColumns(ref reader, Entities.Name);
            }
            else if (reader.ValueTextEquals(FullFeatureNames.Utf8Name))
            {
                JsonReading.Next(ref reader);
                fullNames = JsonReading.ReadBool(ref reader, FullFeatureNames.Name);
            }
            else if (reader.ValueTextEquals(RequestContext.Utf8Name))
            {
                JsonReading.Next(ref reader);
                requestContext = reader.TokenType == JsonTokenType.Null ? null : JsonReading.ReadColumns(ref reader, RequestContext.Name);
            }
            else if (reader.ValueTextEquals(Experiment.Utf8Name))
            {
                JsonReading.Next(ref reader);
                experiment = JsonReading.ReadString(ref reader, Experiment.Name);
            }
            else if (reader.ValueTextEquals(UnitId.Utf8Name))
            {
                JsonReading.Next(ref reader);
                unitId = JsonReading.ReadString(ref reader, UnitId.Name);
            }
            else
            {
                JsonReading.Next(ref reader);
                reader.Skip();
            }
        }

        JsonReading.EndBody(ref reader);
        return new OnlineFeaturesRequestBody(
            features,
            string.IsNullOrEmpty(service) ? null : service,
            entities ?? throw JsonReading.Invalid($"{Entities.Name}: missing; give each join key with its values, e.g. {{\"user_id\": [1, 2]}}."),
            fullNames,
            requestContext,
            string.IsNullOrEmpty(experiment) ? null : experiment,
            string.IsNullOrEmpty(unitId) ? null : unitId);
    }
}

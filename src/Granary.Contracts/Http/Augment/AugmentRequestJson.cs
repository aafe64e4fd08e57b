using System.Text.Json;

namespace Granary.Contracts.Http.Augment;

/// <summary>
/// The augment calls' bodies: <c>POST /api/v1/augment/batch</c>
/// <c>{"entity_spine": [{"user_id": "123", ...}], "feature_specs": [{"namespace": "v", "features": ["a"]}]}</c> and
/// <c>POST /api/v1/augment/online</c> <c>{"entity_keys": {"user_id": "123"}, "feature_specs": [...]}</c>: their
/// definitions and their readers, one pass with <see cref="Utf8JsonReader"/>. Unknown properties are skipped.
/// </summary>
internal static class AugmentRequestJson
{
    public static readonly JsonField Namespace = new("namespace", JsonFieldKind.String, "A feature namespace: a feature view's name.", required: true);

    public static readonly JsonField Features = new("features", JsonFieldKind.StringList, "Features of the namespace, by name.", required: true);

    public static JsonBodySchema FeatureSpecSchema { get; } = new("FeatureSpec", "Some features of one namespace (feature view).", [Namespace, Features]);

    public static readonly JsonField FeatureSpecs = new(
        "feature_specs", JsonFieldKind.ObjectList, "The features to read, namespace by namespace.", required: true, body: FeatureSpecSchema);

    public static readonly JsonField EntitySpine = new(
        "entity_spine", JsonFieldKind.AnyObjectList, "The entities, one object per row: join key -> value (other properties are ignored).", required: true);

    public static readonly JsonField EntityKeys = new(
        "entity_keys", JsonFieldKind.AnyObject, "The entity: join key -> value, for every namespace's join keys.", required: true);

    public static JsonBodySchema BatchSchema { get; } = new(
        "AugmentBatchRequest", "The latest features of many entities (the seed's BatchGetFeatures).", [EntitySpine, FeatureSpecs]);

    public static JsonBodySchema OnlineSchema { get; } = new(
        "AugmentOnlineRequest", "The latest features of one entity (the seed's OnlineGetFeatures).", [EntityKeys, FeatureSpecs]);

    public static AugmentRequestBody ParseBatch(ReadOnlySpan<byte> body) => Parse(body, batch: true);

    public static AugmentRequestBody ParseOnline(ReadOnlySpan<byte> body) => Parse(body, batch: false);

    private static AugmentRequestBody Parse(ReadOnlySpan<byte> body, bool batch)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        JsonReading.StartBody(ref reader);
        var entities = batch ? EntitySpine : EntityKeys;
        List<Dictionary<string, object?>>? rows = null;
        List<(string Namespace, string[] Features)>? specs = null;
        while (JsonReading.Next(ref reader) != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals(entities.Utf8Name))
            {
                JsonReading.Next(ref reader);
                rows = batch ? ReadRows(ref reader) : [ReadRow(ref reader, EntityKeys.Name)];
            }
            else if (reader.ValueTextEquals(FeatureSpecs.Utf8Name))
            {
                JsonReading.Next(ref reader);
                specs = ReadSpecs(ref reader);
            }
            else
            {
                JsonReading.Next(ref reader);
                reader.Skip();
            }
        }

        JsonReading.EndBody(ref reader);
        var example = batch ? "[{\"user_id\": \"123\"}]" : "{\"user_id\": \"123\"}";
        return new AugmentRequestBody(
            rows ?? throw JsonReading.Invalid($"{entities.Name}: missing; give the entit{(batch ? "ies" : "y")}'s join keys, e.g. {example}."),
            specs ?? throw JsonReading.Invalid($"{FeatureSpecs.Name}: missing; e.g. [{{\"namespace\": \"user_stats\", \"features\": [\"orders_7d\"]}}]."));
    }

    private static List<Dictionary<string, object?>> ReadRows(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw JsonReading.Invalid($"{EntitySpine.Name}: expected a list of objects, e.g. [{{\"user_id\": \"123\"}}].");
        }

        var rows = new List<Dictionary<string, object?>>();
        while (JsonReading.Next(ref reader) != JsonTokenType.EndArray)
        {
            rows.Add(ReadRow(ref reader, $"{EntitySpine.Name}[{rows.Count}]"));
        }

        return rows;
    }

    private static Dictionary<string, object?> ReadRow(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw JsonReading.Invalid($"{field}: expected an object of join keys, e.g. {{\"user_id\": \"123\"}}.");
        }

        var row = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (JsonReading.Next(ref reader) != JsonTokenType.EndObject)
        {
            var name = JsonReading.Name(ref reader, field);
            JsonReading.Next(ref reader);
            if (!row.TryAdd(name, JsonReading.ReadValue(ref reader, field, name)))
            {
                throw JsonReading.Invalid($"{field}.{name}: given twice.");
            }
        }

        return row;
    }

    private static List<(string, string[])> ReadSpecs(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw JsonReading.Invalid($"{FeatureSpecs.Name}: expected a list of {{\"namespace\", \"features\"}} objects.");
        }

        var specs = new List<(string, string[])>();
        while (JsonReading.Next(ref reader) != JsonTokenType.EndArray)
        {
            var at = $"{FeatureSpecs.Name}[{specs.Count}]";
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw JsonReading.Invalid($"{at}: expected {{\"namespace\": \"VIEW\", \"features\": [...]}}.");
            }

            string? name = null;
            string[]? features = null;
            while (JsonReading.Next(ref reader) != JsonTokenType.EndObject)
            {
                if (reader.ValueTextEquals(Namespace.Utf8Name))
                {
                    JsonReading.Next(ref reader);
                    name = JsonReading.ReadString(ref reader, $"{at}.{Namespace.Name}");
                }
                else if (reader.ValueTextEquals(Features.Utf8Name))
                {
                    JsonReading.Next(ref reader);
                    features = JsonReading.ReadStrings(ref reader, $"{at}.{Features.Name}");
                }
                else
                {
                    JsonReading.Next(ref reader);
                    reader.Skip();
                }
            }

            specs.Add((
                string.IsNullOrEmpty(name) ? throw JsonReading.Invalid($"{at}.{Namespace.Name}: missing; name a feature view.") : name,
                features is { Length: > 0 } ? features : throw JsonReading.Invalid($"{at}.{Features.Name}: missing or empty; list the namespace's features.")));
        }

        return specs;
    }
}

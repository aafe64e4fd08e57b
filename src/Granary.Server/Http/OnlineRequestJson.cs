using System.Text.Json;
using Granary.OnlineServing;

namespace Granary.Server.Http;

/// <summary>
/// Parses Feast's <c>/get-online-features</c> body in one pass with <see cref="Utf8JsonReader"/>:
/// <c>{"features": ["view:feature"], "feature_service": "name", "entities": {"join_key": [...]}, "full_feature_names": true}</c>.
/// Unknown properties are skipped, as Feast's server does with fields a newer client sends.
/// </summary>
internal static class OnlineRequestJson
{
    public static OnlineFeaturesRequest Parse(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        JsonFields.StartBody(ref reader);
        IReadOnlyList<string> features = [];
        string? service = null;
        Dictionary<string, IReadOnlyList<object?>>? entities = null;
        var fullNames = false;
        while (JsonFields.Next(ref reader) != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals("features"u8))
            {
                JsonFields.Next(ref reader);
                features = JsonFields.ReadStrings(ref reader, "features");
            }
            else if (reader.ValueTextEquals("feature_service"u8))
            {
                JsonFields.Next(ref reader);
                service = JsonFields.ReadString(ref reader, "feature_service");
            }
            else if (reader.ValueTextEquals("entities"u8))
            {
                JsonFields.Next(ref reader);
                entities = JsonFields.ReadColumns(ref reader, "entities");
            }
            else if (reader.ValueTextEquals("full_feature_names"u8))
            {
                JsonFields.Next(ref reader);
                fullNames = JsonFields.ReadBool(ref reader, "full_feature_names");
            }
            else
            {
                JsonFields.Next(ref reader);
                reader.Skip();
            }
        }

        JsonFields.EndBody(ref reader);
        return new OnlineFeaturesRequest
        {
            Features = features,
            FeatureService = string.IsNullOrEmpty(service) ? null : service,
            Entities = entities ?? throw JsonFields.Invalid("entities: missing; give each join key with its values, e.g. {\"user_id\": [1, 2]}."),
            FullFeatureNames = fullNames,
        };
    }
}

using System.Text.Json;
using Granary.Push;

namespace Granary.Server.Http;

/// <summary>
/// Parses Feast's <c>/push</c> (<c>{"push_source_name", "df", "to"}</c>) and <c>/write-to-online-store</c>
/// (<c>{"feature_view_name", "df"}</c>) bodies. <c>df</c> is column-major, as pandas' <c>to_dict(orient="list")</c> writes it.
/// </summary>
internal static class PushRequestJson
{
    public static PushRequest ParsePush(ReadOnlySpan<byte> body)
    {
        var (name, columns, to) = Parse(body, "push_source_name"u8, "push_source_name");
        return new PushRequest
        {
            PushSourceName = name ?? throw JsonFields.Invalid("push_source_name: missing; name the push source to write to."),
            Columns = columns ?? throw JsonFields.Invalid("df: missing; give the rows as columns, e.g. {\"user_id\": [1], ...}."),
            To = to switch
            {
                null or "online" => PushTarget.Online,
                "offline" => PushTarget.Offline,
                "online_and_offline" => PushTarget.OnlineAndOffline,
                _ => throw JsonFields.Invalid($"to: '{to}' is not one of online, offline, online_and_offline."),
            },
        };
    }

    public static (string View, IReadOnlyDictionary<string, IReadOnlyList<object?>> Columns) ParseWriteToOnline(ReadOnlySpan<byte> body)
    {
        var (name, columns, _) = Parse(body, "feature_view_name"u8, "feature_view_name");
        return (
            name ?? throw JsonFields.Invalid("feature_view_name: missing; name the feature view to write to."),
            columns ?? throw JsonFields.Invalid("df: missing; give the rows as columns, e.g. {\"user_id\": [1], ...}."));
    }

    private static (string? Name, Dictionary<string, IReadOnlyList<object?>>? Columns, string? To) Parse(ReadOnlySpan<byte> body, ReadOnlySpan<byte> nameField, string nameFieldText)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        JsonFields.StartBody(ref reader);
        string? name = null;
        string? to = null;
        Dictionary<string, IReadOnlyList<object?>>? columns = null;
        while (JsonFields.Next(ref reader) != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals(nameField))
            {
                JsonFields.Next(ref reader);
                name = JsonFields.ReadString(ref reader, nameFieldText);
            }
            else if (reader.ValueTextEquals("df"u8))
            {
                JsonFields.Next(ref reader);
                columns = JsonFields.ReadColumns(ref reader, "df");
            }
            else if (reader.ValueTextEquals("to"u8))
            {
                JsonFields.Next(ref reader);
                to = JsonFields.ReadString(ref reader, "to");
            }
            else
            {
                // allow_registry_cache and fields of newer Feast clients: the registry cache is always used here.
                JsonFields.Next(ref reader);
                reader.Skip();
            }
        }

        JsonFields.EndBody(ref reader);
        return (name, columns, to);
    }
}

using System.Text.Json;

namespace Granary.Contracts.Http;

/// <summary>
/// What <c>/push</c> and <c>/write-to-online-store</c> share: rows column-major in <c>df</c>, as pandas'
/// <c>to_dict(orient="list")</c> writes them, read beside the name of what they are written to.
/// </summary>
internal static class RowsJson
{
    public static readonly JsonField Df = new(
        "df", JsonFieldKind.Columns, "The rows, column-major: column name -> its values, one per row; every list has the same length.", required: true);

    /// <summary>Reads <paramref name="name"/>, <see cref="Df"/> and, when given, <paramref name="to"/>; other properties are skipped.</summary>
    public static (string? Name, Dictionary<string, IReadOnlyList<object?>>? Columns, string? To) Parse(ReadOnlySpan<byte> body, JsonField name, JsonField? to)
    {
        var (nameValue, columns, toValue, _) = Parse(body, name, to, flag: null);
        return (nameValue, columns, toValue);
    }

    /// <summary>As <see cref="Parse(ReadOnlySpan{byte}, JsonField, JsonField?)"/>, and the boolean <paramref name="flag"/> when given (false when absent).</summary>
    public static (string? Name, Dictionary<string, IReadOnlyList<object?>>? Columns, string? To, bool Flag) Parse(ReadOnlySpan<byte> body, JsonField name, JsonField? to, JsonField? flag)
    {
        var flagValue = false;
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        JsonReading.StartBody(ref reader);
        string? nameValue = null;
        string? toValue = null;
        Dictionary<string, IReadOnlyList<object?>>? columns = null;
        while (JsonReading.Next(ref reader) != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals(name.Utf8Name))
            {
                JsonReading.Next(ref reader);
                nameValue = JsonReading.ReadString(ref reader, name.Name);
            }
            else if (reader.ValueTextEquals(Df.Utf8Name))
            {
                JsonReading.Next(ref reader);
                columns = JsonReading.ReadColumns(ref reader, Df.Name);
            }
            else if (to is not null && reader.ValueTextEquals(to.Utf8Name))
            {
                JsonReading.Next(ref reader);
                toValue = JsonReading.ReadString(ref reader, to.Name);
            }
            else if (flag is not null && reader.ValueTextEquals(flag.Utf8Name))
            {
                JsonReading.Next(ref reader);
                flagValue = JsonReading.ReadBool(ref reader, flag.Name);
            }
            else
            {
                // allow_registry_cache and fields of newer Feast clients: the registry cache is always used here.
                JsonReading.Next(ref reader);
                reader.Skip();
            }
        }

        JsonReading.EndBody(ref reader);
        return (nameValue, columns, toValue, flagValue);
    }

    public static Dictionary<string, IReadOnlyList<object?>> Required(Dictionary<string, IReadOnlyList<object?>>? columns) =>
        columns ?? throw JsonReading.Invalid($"{Df.Name}: missing; give the rows as columns, e.g. {{\"user_id\": [1], ...}}.");
}

using System.Text.Json;

namespace Granary.Contracts.Http;

/// <summary><c>POST /write-to-online-store</c>'s answer, <c>{"rows", "online_written"}</c>: its definition and its writer.</summary>
internal static class WriteToOnlineStoreResponseJson
{
    public static readonly JsonField Rows = new("rows", JsonFieldKind.Integer, "Rows accepted.", required: true);

    public static readonly JsonField OnlineWritten = new(
        "online_written", JsonFieldKind.Integer, "Online values changed (older rows lose to newer ones).", required: true);

    public static JsonBodySchema Schema { get; } = new("WriteToOnlineStoreResponse", "What a write to the online store wrote.", [Rows, OnlineWritten]);

    public static void Write(Utf8JsonWriter writer, long rows, long onlineWritten)
    {
        writer.WriteStartObject();
        writer.WriteNumber(Rows.EncodedName, rows);
        writer.WriteNumber(OnlineWritten.EncodedName, onlineWritten);
        writer.WriteEndObject();
    }
}

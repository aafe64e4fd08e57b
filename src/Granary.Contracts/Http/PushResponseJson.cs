using System.Text.Json;

namespace Granary.Contracts.Http;

/// <summary><c>POST /push</c>'s answer, <c>{"rows", "online_written", "offline", "feature_views", "late_rows", "rejected_rows",
/// "validation"}</c>: its definition and its writer.</summary>
internal static class PushResponseJson
{
    public static readonly JsonField Rows = new("rows", JsonFieldKind.Integer, "Rows accepted.", required: true);

    public static readonly JsonField OnlineWritten = new(
        "online_written", JsonFieldKind.Integer, "Online values changed: a row older than the stored one loses to it and is not counted.", required: true);

    public static readonly JsonField Offline = new("offline", JsonFieldKind.Boolean, "Whether the rows were logged to the offline store.", required: true);

    public static readonly JsonField FeatureViews = new("feature_views", JsonFieldKind.StringList, "The feature views the rows went to.", required: true);

    public static readonly JsonField LateRows = new(
        "late_rows", JsonFieldKind.Integer, "Rows rejected as later than the allowed lateness of the source's stream feature views: neither applied nor logged.", required: true);

    public static readonly JsonField RejectedRows = new(
        "rejected_rows", JsonFieldKind.Integer, "Rows dropped because they fail an error validation rule (allow_partial): neither written nor logged.", required: true);

    public static readonly JsonField Validation = new(
        "validation", JsonFieldKind.ObjectList, "What each validation rule found in the pushed rows, warn rules included; empty when every row passed.", required: true, body: RuleCountsJson.Schema);

    public static JsonBodySchema Schema { get; } = new("PushResponse", "What a push wrote.", [Rows, OnlineWritten, Offline, FeatureViews, LateRows, RejectedRows, Validation]);

    public static void Write(
        Utf8JsonWriter writer, long rows, long onlineWritten, bool offline, IReadOnlyList<string> views, long lateRows = 0, long rejectedRows = 0, IReadOnlyList<RuleCount>? validation = null)
    {
        writer.WriteStartObject();
        writer.WriteNumber(Rows.EncodedName, rows);
        writer.WriteNumber(OnlineWritten.EncodedName, onlineWritten);
        writer.WriteBoolean(Offline.EncodedName, offline);
        writer.WriteStartArray(FeatureViews.EncodedName);
        for (var i = 0; i < views.Count; i++)
        {
            writer.WriteStringValue(views[i]);
        }

        writer.WriteEndArray();
        writer.WriteNumber(LateRows.EncodedName, lateRows);
        writer.WriteNumber(RejectedRows.EncodedName, rejectedRows);
        RuleCountsJson.Write(writer, Validation.EncodedName, validation ?? []);
        writer.WriteEndObject();
    }
}

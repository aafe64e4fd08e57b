using System.Globalization;
using System.Text.Json;

namespace Granary.Contracts.Http;

/// <summary>
/// <c>POST /materialize</c>'s and <c>/materialize-incremental</c>'s answer, <c>{"feature_views": [{"name", "start_ts",
/// "end_ts", "rows", "written", "skipped", "elapsed_seconds"}]}</c>: its definition and its writer.
/// </summary>
internal static class MaterializeResponseJson
{
    public static readonly JsonField Name = new("name", JsonFieldKind.String, "The feature view.", required: true);

    public static readonly JsonField StartTs = new("start_ts", JsonFieldKind.Timestamp, "The start of the interval read, UTC.", required: true);

    public static readonly JsonField EndTs = new("end_ts", JsonFieldKind.Timestamp, "The end of the interval read, UTC.", required: true);

    public static readonly JsonField Rows = new("rows", JsonFieldKind.Integer, "Entity rows read (the latest per entity in the interval).", required: true);

    public static readonly JsonField Written = new(
        "written", JsonFieldKind.Integer, "Records that replaced or created an online value (older ones are skipped: last write wins).", required: true);

    public static readonly JsonField Skipped = new("skipped", JsonFieldKind.Integer, "Rows without a complete entity key, which cannot be served.", required: true);

    public static readonly JsonField ElapsedSeconds = new("elapsed_seconds", JsonFieldKind.Number, "How long it took, in seconds.", required: true);

    public static JsonBodySchema ViewSchema { get; } = new(
        "MaterializedView", "What materialization did for one feature view.", [Name, StartTs, EndTs, Rows, Written, Skipped, ElapsedSeconds]);

    public static readonly JsonField FeatureViews = new(
        "feature_views", JsonFieldKind.ObjectList, "One entry per feature view materialized.", required: true, body: ViewSchema);

    public static JsonBodySchema Schema { get; } = new("MaterializeResponse", "What materialization did, view by view.", [FeatureViews]);

    public static void WriteStart(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartArray(FeatureViews.EncodedName);
    }

    public static void WriteView(Utf8JsonWriter writer, string name, DateTimeOffset start, DateTimeOffset end, long rows, long written, long skipped, TimeSpan elapsed)
    {
        writer.WriteStartObject();
        writer.WriteString(Name.EncodedName, name);
        writer.WriteString(StartTs.EncodedName, start.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        writer.WriteString(EndTs.EncodedName, end.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        writer.WriteNumber(Rows.EncodedName, rows);
        writer.WriteNumber(Written.EncodedName, written);
        writer.WriteNumber(Skipped.EncodedName, skipped);
        writer.WriteNumber(ElapsedSeconds.EncodedName, elapsed.TotalSeconds);
        writer.WriteEndObject();
    }

    public static void WriteEnd(Utf8JsonWriter writer)
    {
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}

using System.Text.Json;

namespace Granary.Contracts.Http;

/// <summary>
/// Feast's <c>/get-online-features</c> answer, column-major:
/// <c>{"metadata": {"feature_names": [...]}, "results": [{"values": [...], "statuses": [...], "event_timestamps": [...]}]}</c>,
/// one result per name in <c>metadata.feature_names</c> (join keys, then features). Its definition, whose names the
/// server's writer writes; values are written as <see cref="FeastJsonValues"/> says.
/// </summary>
internal static class OnlineFeaturesResponseJson
{
    public static readonly JsonField FeatureNames = new(
        "feature_names", JsonFieldKind.StringList, "The columns' names: the join keys given, then the features.", required: true);

    public static readonly JsonField ExperimentName = new("name", JsonFieldKind.String, "The experiment the request named.", required: true);

    public static readonly JsonField ExperimentVariant = new("variant", JsonFieldKind.String, "The variant its unit_id is assigned, whose version of the view was read.", required: true);

    public static JsonBodySchema ExperimentSchema { get; } = new(
        "ServedExperiment", "The experiment variant the answer was served from.", [ExperimentName, ExperimentVariant]);

    public static readonly JsonField Experiment = new(
        "experiment", JsonFieldKind.Object, "Present when the request named an experiment: its name and the variant served.", body: ExperimentSchema);

    public static JsonBodySchema MetadataSchema { get; } = new("OnlineFeaturesMetadata", "The names of the answer's columns, and the experiment variant served.", [FeatureNames, Experiment]);

    public static readonly JsonField Values = new(
        "values", JsonFieldKind.ValueList, "Per entity, the value: of the feature's type (floats always with a fraction or exponent, unix timestamps as epoch seconds, bytes base64), or null.", required: true);

    public static readonly JsonField Statuses = new(
        "statuses", JsonFieldKind.StringList, "Per entity, why the value is what it is.", required: true, allowedValues: ["PRESENT", "NOT_FOUND", "NULL_VALUE", "OUTSIDE_MAX_AGE"]);

    public static readonly JsonField EventTimestamps = new(
        "event_timestamps", JsonFieldKind.TimestampList, "Per entity, the value's event time, ISO-8601 UTC; the Unix epoch where there is none.", required: true);

    public static JsonBodySchema ColumnSchema { get; } = new(
        "OnlineFeatureVector", "One column: per entity a value, a status and an event time.", [Values, Statuses, EventTimestamps]);

    public static readonly JsonField Metadata = new("metadata", JsonFieldKind.Object, "The answer's column names.", required: true, body: MetadataSchema);

    public static readonly JsonField Results = new(
        "results", JsonFieldKind.ObjectList, "One column per name in metadata.feature_names, in the same order.", required: true, body: ColumnSchema);

    public static JsonBodySchema Schema { get; } = new(
        "OnlineFeaturesResponse", "The latest features, column-major as Feast's.", [Metadata, Results]);

    /// <summary>The statuses' names, escaped once: the writer then copies them without checking each byte.</summary>
    public static readonly JsonEncodedText Present = JsonEncodedText.Encode(Statuses.AllowedValues[0]);

    public static readonly JsonEncodedText NotFound = JsonEncodedText.Encode(Statuses.AllowedValues[1]);

    public static readonly JsonEncodedText NullValue = JsonEncodedText.Encode(Statuses.AllowedValues[2]);

    public static readonly JsonEncodedText OutsideMaxAge = JsonEncodedText.Encode(Statuses.AllowedValues[3]);
}

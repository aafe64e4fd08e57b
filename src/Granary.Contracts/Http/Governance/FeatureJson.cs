namespace Granary.Contracts.Http.Governance;

/// <summary>
/// A catalog entry as <c>/api/v1/features</c> answers it, and the bodies that create and update one, with the seed's
/// field names (<c>feature_name</c>, <c>feature_type</c>, <c>data_type</c>, ...). An entry is a feature
/// (<c>view:feature</c>, or a bare name registered through the API) or a view.
/// </summary>
internal static class FeatureJson
{
    /// <summary>The categories <c>feature_type</c> takes.</summary>
    public static readonly IReadOnlyList<string> FeatureTypes =
        ["raw", "derived", "technical_indicator", "fundamental", "sentiment", "macro_economic", "behavioral", "embedding"];

    /// <summary>The lifecycle statuses, in lifecycle order.</summary>
    public static readonly IReadOnlyList<string> Statuses = ["draft", "active", "deprecated", "archived"];

    /// <summary>What an entry describes.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["feature", "view"];

    public static readonly JsonField FeatureName = new(
        "feature_name", JsonFieldKind.String, "The entry's name: view:feature for a feature a view defines, a bare name for one registered through the API, or a view's name.", required: true);

    public static readonly JsonField Kind = new("kind", JsonFieldKind.Enum, "Whether the entry is a feature or a feature view.", required: true, allowedValues: Kinds);

    public static readonly JsonField FeatureType = new("feature_type", JsonFieldKind.Enum, "The feature's category; null when not set.", allowedValues: FeatureTypes);

    public static readonly JsonField DataType = new(
        "data_type", JsonFieldKind.String, "The value type: Granary's dtype (float64, int64, string, bool, unix_timestamp, ...); requests may also use the words float, integer, string, boolean, timestamp. Null for a view.");

    public static readonly JsonField Description = new("description", JsonFieldKind.String, "What the entry means.", required: true);

    public static readonly JsonField Owner = new("owner", JsonFieldKind.String, "Who answers for it (a team or a person).", required: true);

    public static readonly JsonField Tags = new("tags", JsonFieldKind.StringList, "Tags; a YAML tag map entry team: ads reads as team=ads.", required: true);

    public static readonly JsonField Status = new("status", JsonFieldKind.Enum, "Where the entry is in its lifecycle: draft, active, deprecated, archived.", required: true, allowedValues: Statuses);

    public static readonly JsonField Transformation = new(
        "transformation", JsonFieldKind.Object, "How the feature is computed; null when not recorded.", body: TransformationJson.Schema);

    public static readonly JsonField ValidationRules = new(
        "validation_rules", JsonFieldKind.ObjectList, "The feature's validation rules.", required: true, body: ValidationRuleJson.Schema);

    public static readonly JsonField UpstreamFeatures = new(
        "upstream_features", JsonFieldKind.StringList, "The catalog entries this one is computed from, as recorded in the catalog.", required: true);

    public static readonly JsonField DownstreamFeatures = new(
        "downstream_features", JsonFieldKind.StringList, "The features and views computed from this one directly (its lineage's downstream_features).", required: true);

    public static readonly JsonField UsageCount = new("usage_count", JsonFieldKind.Integer, "How many uses have been recorded.", required: true);

    public static readonly JsonField LastUsedAt = new("last_used_at", JsonFieldKind.Timestamp, "The latest recorded use, UTC; null when never used.");

    public static readonly JsonField CreatedAt = new("created_at", JsonFieldKind.Timestamp, "When the entry was created, UTC.", required: true);

    public static readonly JsonField UpdatedAt = new("updated_at", JsonFieldKind.Timestamp, "When the entry last changed, UTC.", required: true);

    public static readonly JsonField DeprecatedAt = new("deprecated_at", JsonFieldKind.Timestamp, "When the entry was deprecated, UTC; null unless deprecated or archived.");

    public static readonly JsonField CurrentVersion = new("current_version", JsonFieldKind.String, "The version that serves by default, MAJOR.MINOR.PATCH.", required: true);

    public static JsonBodySchema Schema { get; } = new(
        "Feature",
        "A feature or feature view of the governed catalog.",
        [FeatureName, Kind, FeatureType, DataType, Description, Owner, Tags, Status, Transformation, ValidationRules, UpstreamFeatures, DownstreamFeatures,
         UsageCount, LastUsedAt, CreatedAt, UpdatedAt, DeprecatedAt, CurrentVersion]);

    public static readonly JsonField Features = new("features", JsonFieldKind.ObjectList, "The page of entries, ordered by name.", required: true, body: Schema);

    public static readonly JsonField Total = new("total", JsonFieldKind.Integer, "How many entries match the filters in all (not only this page).", required: true);

    public static JsonBodySchema ListSchema { get; } = new("FeatureList", "One page of the catalog's entries and how many match.", [Features, Total]);

    // The request bodies' fields: the same names, described for the caller.
    private static readonly JsonField CreateFeatureType = new("feature_type", JsonFieldKind.Enum, "The feature's category.", allowedValues: FeatureTypes);

    private static readonly JsonField RequestDataType = new(
        "data_type", JsonFieldKind.String, "The value type: float, integer, string, boolean, timestamp, or a Granary dtype (float64, int64, ...).");

    private static readonly JsonField RequestDescription = new("description", JsonFieldKind.String, "What the feature means.");

    private static readonly JsonField RequestOwner = new("owner", JsonFieldKind.String, "Who answers for it.");

    private static readonly JsonField RequestTags = new("tags", JsonFieldKind.StringList, "Tags, as plain strings (team=ads for a key and value).");

    private static readonly JsonField RequestTransformation = new("transformation", JsonFieldKind.Object, "How the feature is computed.", body: TransformationJson.Schema);

    private static readonly JsonField RequestValidationRules = new(
        "validation_rules", JsonFieldKind.ObjectList, "The feature's validation rules.", body: ValidationRuleJson.Schema);

    private static readonly JsonField RequestUpstreamFeatures = new(
        "upstream_features", JsonFieldKind.StringList, "The catalog entries it is computed from; one that would close a cycle is refused with 422.");

    private static readonly JsonField RequestStatus = new(
        "status", JsonFieldKind.Enum, "A lifecycle move (draft → active → deprecated → archived), refused with 409 where activate, deprecate or archive would be.", allowedValues: Statuses);

    public static JsonBodySchema CreateSchema { get; } = new(
        "FeatureCreate",
        "A feature registered through the API: a bare name no view defines; it starts as a draft at version 1.0.0.",
        [FeatureName, CreateFeatureType, RequestDataType, RequestDescription, RequestOwner, RequestTags, RequestTransformation, RequestValidationRules, RequestUpstreamFeatures]);

    public static JsonBodySchema UpdateSchema { get; } = new(
        "FeatureUpdate",
        "The fields to change; a field not given (or null) stays as it is. What the API sets here, apply never clears.",
        [RequestDescription, RequestOwner, RequestTags, CreateFeatureType, RequestDataType, RequestTransformation, RequestValidationRules, RequestUpstreamFeatures, RequestStatus]);
}

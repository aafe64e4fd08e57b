namespace Granary.Contracts.Http.Governance;

/// <summary>
/// A catalog entry's version as <c>/api/v1/features/{feature_name}/versions</c> answers it, the list of them (newest
/// first) and the body that creates one.
/// </summary>
internal static class FeatureVersionJson
{
    public static readonly JsonField FeatureName = new("feature_name", JsonFieldKind.String, "The entry the version belongs to.", required: true);

    public static readonly JsonField Version = new("version", JsonFieldKind.String, "The semantic version, MAJOR.MINOR.PATCH.", required: true);

    public static readonly JsonField Changelog = new("changelog", JsonFieldKind.String, "What changed in this version.", required: true);

    public static readonly JsonField BreakingChanges = new(
        "breaking_changes", JsonFieldKind.StringList, "One line per breaking change; empty unless the major version moved.", required: true);

    public static readonly JsonField TransformationSnapshot = new(
        "transformation_snapshot", JsonFieldKind.Object, "The transformation at this version; null when none was recorded.", body: TransformationJson.Schema);

    public static readonly JsonField ValidationSnapshot = new(
        "validation_snapshot", JsonFieldKind.ObjectList, "The validation rules at this version.", required: true, body: ValidationRuleJson.Schema);

    public static readonly JsonField CreatedBy = new("created_by", JsonFieldKind.String, "Who made it: user@host for apply and the CLI, the caller for the API.", required: true);

    public static readonly JsonField CreatedAt = new("created_at", JsonFieldKind.Timestamp, "When it was made, UTC.", required: true);

    public static readonly JsonField IsRolledBack = new("is_rolled_back", JsonFieldKind.Boolean, "Whether a rollback replaced this version while it was current.", required: true);

    public static readonly JsonField RolledBackAt = new("rolled_back_at", JsonFieldKind.Timestamp, "When it was rolled back, UTC; null when it was not.");

    public static readonly JsonField RestoredFrom = new("restored_from", JsonFieldKind.String, "The version a rollback restored into this one; null when not a rollback.");

    public static readonly JsonField Promoted = new(
        "promoted", JsonFieldKind.Boolean, "False for a version staged by apply --no-promote and not made current since.", required: true);

    public static JsonBodySchema Schema { get; } = new(
        "FeatureVersion",
        "One version of a catalog entry; written once, never rewritten.",
        [FeatureName, Version, Changelog, BreakingChanges, TransformationSnapshot, ValidationSnapshot, CreatedBy, CreatedAt, IsRolledBack, RolledBackAt, RestoredFrom, Promoted]);

    public static readonly JsonField Versions = new("versions", JsonFieldKind.ObjectList, "The versions, newest first.", required: true, body: Schema);

    public static readonly JsonField Total = new("total", JsonFieldKind.Integer, "How many versions the entry has.", required: true);

    public static JsonBodySchema ListSchema { get; } = new("FeatureVersionList", "Every version of a catalog entry, newest first.", [Versions, Total]);

    private static readonly JsonField RequestVersion = new(
        "version", JsonFieldKind.String, "The new version, MAJOR.MINOR.PATCH; newer than every existing one (422 otherwise; 409 if it exists).", required: true);

    private static readonly JsonField RequestChangelog = new("changelog", JsonFieldKind.String, "What changed.");

    private static readonly JsonField RequestBreakingChanges = new(
        "breaking_changes", JsonFieldKind.StringList, "The breaking changes; given without a major bump, the version is refused with 422 naming them.");

    private static readonly JsonField RequestTransformationSnapshot = new(
        "transformation_snapshot", JsonFieldKind.Object, "The transformation at this version.", body: TransformationJson.Schema);

    private static readonly JsonField RequestValidationSnapshot = new(
        "validation_snapshot", JsonFieldKind.ObjectList, "The validation rules at this version.", body: ValidationRuleJson.Schema);

    public static JsonBodySchema CreateSchema { get; } = new(
        "FeatureVersionCreate",
        "A new version of a catalog entry, made current.",
        [RequestVersion, RequestChangelog, RequestBreakingChanges, RequestTransformationSnapshot, RequestValidationSnapshot]);
}

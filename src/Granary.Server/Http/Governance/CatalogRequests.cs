using Granary.Contracts.Errors;
using Granary.Contracts.Http.Governance;
using Granary.Core.Errors;
using Granary.Governance;
using Granary.Registry.Catalog;

namespace Granary.Server.Http.Governance;

/// <summary>Turns the governance API's request bodies, as read, into the catalog's requests.</summary>
internal static class CatalogRequests
{
    public static CatalogEntryCreate Create(FeatureCreateBody body) => new(body.FeatureName.Trim())
    {
        FeatureType = body.FeatureType,
        DataType = body.DataType,
        Description = body.Description ?? "",
        Owner = body.Owner ?? "",
        Tags = body.Tags ?? [],
        Transformation = Transformation(body.Transformation),
        ValidationRules = Rules(body.ValidationRules) ?? [],
        UpstreamFeatures = body.UpstreamFeatures ?? [],
    };

    public static CatalogEntryUpdate Update(FeatureUpdateBody body) => new()
    {
        Description = body.Description,
        Owner = body.Owner,
        Tags = body.Tags,
        FeatureType = body.FeatureType,
        DataType = body.DataType,
        Transformation = Transformation(body.Transformation),
        ValidationRules = Rules(body.ValidationRules),
        UpstreamFeatures = body.UpstreamFeatures,
        Status = body.Status is null ? null : LifecycleStatuses.TryParse(body.Status, out var status) ? status : throw Invalid($"status: '{body.Status}' is not a status."),
    };

    public static CatalogVersionCreate Version(FeatureVersionCreateBody body) => new(
        SemanticVersion.TryParse(body.Version, out var version)
            ? version
            : throw Invalid($"version: '{body.Version}' is not a version; use MAJOR.MINOR.PATCH such as 2.0.0."))
    {
        Changelog = body.Changelog ?? "",
        BreakingChanges = body.BreakingChanges,
        TransformationSnapshot = Transformation(body.TransformationSnapshot),
        ValidationSnapshot = Rules(body.ValidationSnapshot),
    };

    public static FeatureUsageRecord Usage(FeatureUsageBody body) => new(body.FeatureName.Trim(), body.UsedByModel)
    {
        FeatureVersion = body.FeatureVersion,
        ModelVersion = body.ModelVersion,
        Environment = body.Environment,
        FeatureImportance = body.FeatureImportance,
        CorrelationWithTarget = body.CorrelationWithTarget,
        ExecutionId = body.ExecutionId,
        ExecutionDurationMs = body.ExecutionDurationMs,
    };

    private static FeatureTransformation? Transformation(TransformationBody? body) =>
        body is null ? null : new FeatureTransformation(body.TransformationType, body.Code) { Parameters = body.Parameters };

    private static List<CatalogValidationRule>? Rules(IReadOnlyList<ValidationRuleBody>? rules)
    {
        if (rules is null)
        {
            return null;
        }

        var list = new List<CatalogValidationRule>(rules.Count);
        foreach (var rule in rules)
        {
            list.Add(new CatalogValidationRule(rule.RuleType, rule.IsBlocking) { Parameters = rule.Parameters });
        }

        return list;
    }

    private static GranaryException Invalid(string detail) => new(ErrorCodes.InvalidArgument, detail);
}

using System.Text.Json;
using static Granary.Contracts.Http.Governance.GovernanceBodyReader;

namespace Granary.Contracts.Http.Governance;

/// <summary>
/// The governance API's request readers: each body's fields, by the names its schema in <see cref="FeatureJson"/>,
/// <see cref="FeatureVersionJson"/> and <see cref="FeatureUsageJson"/> gives them.
/// </summary>
internal static class GovernanceRequestJson
{
    public static FeatureCreateBody ParseCreate(ReadOnlySpan<byte> body) => Read(body, static root => new FeatureCreateBody(RequiredString(root, FeatureJson.FeatureName))
    {
        FeatureType = Enum(root, FeatureJson.FeatureType),
        DataType = String(root, FeatureJson.DataType),
        Description = String(root, FeatureJson.Description),
        Owner = String(root, FeatureJson.Owner),
        Tags = Strings(root, FeatureJson.Tags),
        Transformation = Object(root, FeatureJson.Transformation, ReadTransformation),
        ValidationRules = Objects(root, FeatureJson.ValidationRules, ReadRule),
        UpstreamFeatures = Strings(root, FeatureJson.UpstreamFeatures),
    });

    public static FeatureUpdateBody ParseUpdate(ReadOnlySpan<byte> body) => Read(body, static root => new FeatureUpdateBody
    {
        Description = String(root, FeatureJson.Description),
        Owner = String(root, FeatureJson.Owner),
        Tags = Strings(root, FeatureJson.Tags),
        FeatureType = Enum(root, FeatureJson.FeatureType),
        DataType = String(root, FeatureJson.DataType),
        Transformation = Object(root, FeatureJson.Transformation, ReadTransformation),
        ValidationRules = Objects(root, FeatureJson.ValidationRules, ReadRule),
        UpstreamFeatures = Strings(root, FeatureJson.UpstreamFeatures),
        Status = Enum(root, FeatureJson.Status),
    });

    public static FeatureVersionCreateBody ParseVersion(ReadOnlySpan<byte> body) => Read(body, static root => new FeatureVersionCreateBody(RequiredString(root, FeatureVersionJson.Version))
    {
        Changelog = String(root, FeatureVersionJson.Changelog),
        BreakingChanges = Strings(root, FeatureVersionJson.BreakingChanges) ?? [],
        TransformationSnapshot = Object(root, FeatureVersionJson.TransformationSnapshot, ReadTransformation),
        ValidationSnapshot = Objects(root, FeatureVersionJson.ValidationSnapshot, ReadRule),
    });

    public static FeatureUsageBody ParseUsage(ReadOnlySpan<byte> body) => Read(
        body,
        static root => new FeatureUsageBody(RequiredString(root, FeatureUsageJson.FeatureName), RequiredString(root, FeatureUsageJson.UsedByModel))
        {
            FeatureVersion = String(root, FeatureUsageJson.FeatureVersion),
            ModelVersion = String(root, FeatureUsageJson.ModelVersion),
            Environment = Enum(root, FeatureUsageJson.Environment),
            FeatureImportance = Number(root, FeatureUsageJson.FeatureImportance),
            CorrelationWithTarget = Number(root, FeatureUsageJson.CorrelationWithTarget),
            ExecutionId = String(root, FeatureUsageJson.ExecutionId),
            ExecutionDurationMs = Number(root, FeatureUsageJson.ExecutionDurationMs),
        });

    private static TransformationBody ReadTransformation(JsonElement value, string prefix) => new(
        RequiredString(value, TransformationJson.TransformationType, prefix),
        String(value, TransformationJson.Code, prefix) ?? throw JsonReading.Invalid($"{prefix}{TransformationJson.Code.Name}: missing; it is required."),
        AnyObject(value, TransformationJson.Parameters, prefix));

    private static ValidationRuleBody ReadRule(JsonElement value, string prefix) => new(
        RequiredString(value, ValidationRuleJson.RuleType, prefix),
        Boolean(value, ValidationRuleJson.IsBlocking, prefix) ?? false,
        AnyObject(value, ValidationRuleJson.Parameters, prefix));
}

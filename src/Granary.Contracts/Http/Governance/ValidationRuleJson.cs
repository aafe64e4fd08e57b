namespace Granary.Contracts.Http.Governance;

/// <summary>
/// One of a feature's <c>validation_rules</c>, <c>{"rule_type", "parameters", "is_blocking"}</c>: the rule a schema
/// field's <c>validation:</c> declares in YAML, where <c>is_blocking</c> is <c>severity: error</c>.
/// </summary>
internal static class ValidationRuleJson
{
    public static readonly JsonField RuleType = new("rule_type", JsonFieldKind.String, "The rule's kind: range, null_check, outlier, ...", required: true);

    public static readonly JsonField Parameters = new("parameters", JsonFieldKind.AnyObject, "The rule's parameters (min, max, ...), any JSON values by name.");

    public static readonly JsonField IsBlocking = new(
        "is_blocking", JsonFieldKind.Boolean, "Whether a failure stops the data (severity: error) rather than warns; false when not given.");

    public static JsonBodySchema Schema { get; } = new("FeatureValidationRule", "A validation rule of a feature.", [RuleType, Parameters, IsBlocking]);
}

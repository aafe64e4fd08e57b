using System.Text.Json;

namespace Granary.Contracts.Http;

/// <summary>
/// What validation rules found, as answers list them: <c>[{"feature_view", "feature", "rule", "severity", "failed",
/// "total", "example"}]</c>.
/// </summary>
internal static class RuleCountsJson
{
    public static readonly JsonField FeatureView = new("feature_view", JsonFieldKind.String, "The feature view declaring the rule.", required: true);

    public static readonly JsonField Feature = new("feature", JsonFieldKind.String, "The field the rule is declared on.", required: true);

    public static readonly JsonField Rule = new(
        "rule", JsonFieldKind.Enum, "The rule kind.", required: true, allowedValues: ["range", "not_null", "enum", "regex", "max_null_fraction", "unique", "expression"]);

    public static readonly JsonField Severity = new(
        "severity", JsonFieldKind.Enum, "error: failing rows are not written; warn: they are only counted.", required: true, allowedValues: ["error", "warn"]);

    public static readonly JsonField Failed = new(
        "failed", JsonFieldKind.Integer, "Rows that failed the rule (for max_null_fraction, the nulls when they are more than it allows).", required: true);

    public static readonly JsonField Total = new("total", JsonFieldKind.Integer, "Rows the rule judged.", required: true);

    public static readonly JsonField Example = new("example", JsonFieldKind.String, "One failing row: its position, its entity and its value.", required: true);

    public static JsonBodySchema Schema { get; } = new("RuleCount", "What one validation rule found.", [FeatureView, Feature, Rule, Severity, Failed, Total, Example]);

    public static void Write(Utf8JsonWriter writer, JsonEncodedText property, IReadOnlyList<RuleCount> counts)
    {
        writer.WriteStartArray(property);
        foreach (var count in counts)
        {
            writer.WriteStartObject();
            writer.WriteString(FeatureView.EncodedName, count.View);
            writer.WriteString(Feature.EncodedName, count.Feature);
            writer.WriteString(Rule.EncodedName, count.Rule);
            writer.WriteString(Severity.EncodedName, count.Severity);
            writer.WriteNumber(Failed.EncodedName, count.Failed);
            writer.WriteNumber(Total.EncodedName, count.Total);
            writer.WriteString(Example.EncodedName, count.Example);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}

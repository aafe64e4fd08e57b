using System.Text.Json;

namespace Granary.Core.Model;

/// <summary>
/// One data-quality rule of a schema field, as <c>validation: [{rule: range, min: 0, max: 1, severity: error}]</c>
/// declares it: the rule kind (one of <see cref="ValidationRuleKinds"/>), its severity, and its other keys as
/// parameters (JSON values, so numbers, strings and lists keep their types).
/// </summary>
public sealed record FieldValidationRule(string Rule, ValidationSeverity Severity = ValidationSeverity.Error)
{
    private static readonly IReadOnlyDictionary<string, JsonElement> NoParameters = new Dictionary<string, JsonElement>();

    public IReadOnlyDictionary<string, JsonElement> Parameters { get; init; } = NoParameters;
}

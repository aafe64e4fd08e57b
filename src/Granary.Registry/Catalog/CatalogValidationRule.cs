using System.Text.Json;

namespace Granary.Registry.Catalog;

/// <summary>
/// A validation rule as the catalog shows it: <c>{rule_type, parameters, is_blocking}</c>. The same rule the YAML
/// declares under a schema field's <c>validation:</c> (<c>{rule: range, min: 0, max: 1, severity: error}</c>), where
/// <see cref="IsBlocking"/> is <c>severity: error</c> and the other keys are the parameters.
/// </summary>
public sealed record CatalogValidationRule(string RuleType, bool IsBlocking)
{
    private static readonly IReadOnlyDictionary<string, JsonElement> NoParameters = new Dictionary<string, JsonElement>();

    public IReadOnlyDictionary<string, JsonElement> Parameters { get; init; } = NoParameters;
}

using Granary.Core.Model;

namespace Granary.Quality.Rules;

/// <summary>
/// One validation rule of one feature, evaluated over a view's source rows in a period (docs/quality.md,
/// "Validating on demand", says what each rule counts).
/// </summary>
/// <param name="Feature">The schema field the rule is declared on.</param>
/// <param name="Rule">The rule kind: <c>range</c>, <c>not_null</c>, <c>enum</c>, <c>regex</c>, <c>max_null_fraction</c>, <c>unique</c> or <c>expression</c>.</param>
/// <param name="Severity">Whether a failure fails the validation (<c>error</c>) or is only reported (<c>warn</c>).</param>
/// <param name="Failed">
/// The rows counted against the rule: the failing rows of a row rule, the nulls of <c>max_null_fraction</c>, and for
/// <c>unique</c> the rows beyond the first of each (entity, event time).
/// </param>
/// <param name="Total">The rows in the period.</param>
/// <param name="Example">One failing value, or the entity and event time of a failing row; null when the rule holds.</param>
/// <param name="Passed">
/// Whether the rule holds: no row counted against it, or for <c>max_null_fraction</c> a null fraction at most its
/// <c>value</c>.
/// </param>
public sealed record RuleOutcome(string Feature, string Rule, ValidationSeverity Severity, long Failed, long Total, string? Example, bool Passed);

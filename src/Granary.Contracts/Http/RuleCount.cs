namespace Granary.Contracts.Http;

/// <summary>One validation rule's counts as an answer reports them (<see cref="RuleCountsJson"/>).</summary>
/// <param name="View">The feature view declaring the rule.</param>
/// <param name="Feature">The field the rule is declared on.</param>
/// <param name="Rule">The rule kind.</param>
/// <param name="Severity"><c>error</c> or <c>warn</c>.</param>
/// <param name="Failed">Rows that failed it.</param>
/// <param name="Total">Rows it judged.</param>
/// <param name="Example">One failing row in words, such as <c>row 3 (user_id=7): -1</c>.</param>
internal readonly record struct RuleCount(string View, string Feature, string Rule, string Severity, long Failed, long Total, string Example);

using Granary.Core.Model;
using Granary.Quality.Expressions;

namespace Granary.Quality.Rules;

/// <summary>
/// One validation rule of a field, its parameters read and checked once: what the engines translate to SQL. Only the
/// members of its kind are set (<see cref="Min"/> and <see cref="Max"/> for <c>range</c>, and so on).
/// </summary>
internal sealed record ViewRule(string Feature, FeatureType FieldType, string Rule, ValidationSeverity Severity)
{
    public double? Min { get; init; }

    public double? Max { get; init; }

    /// <summary>The values of an <c>enum</c> rule on a string column.</summary>
    public IReadOnlyList<string> Strings { get; init; } = [];

    /// <summary>The values of an <c>enum</c> rule on an integer column.</summary>
    public IReadOnlyList<long> Integers { get; init; } = [];

    public string? Pattern { get; init; }

    /// <summary>The largest null fraction a <c>max_null_fraction</c> rule allows.</summary>
    public double Fraction { get; init; }

    /// <summary>The condition of an <c>expression</c> rule, bound to the view's columns.</summary>
    public BoundExpression? Expression { get; init; }

    /// <summary>Whether the rule is decided by counting rows of the aggregate (all but <c>unique</c>).</summary>
    public bool IsAggregate => Rule != RuleKinds.Unique;
}

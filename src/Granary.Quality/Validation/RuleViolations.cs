using Granary.Core.Model;

namespace Granary.Quality.Validation;

/// <summary>
/// What one validation rule of a feature found in the rows it was applied to (a push, a stream batch, a
/// materialization run): how many rows failed it out of how many, and one failing row as an example.
/// </summary>
/// <param name="View">The feature view whose schema declares the rule.</param>
/// <param name="Feature">The field the rule is declared on.</param>
/// <param name="Rule">The rule kind (<c>range</c>, <c>not_null</c>, ...).</param>
/// <param name="Severity">An <c>error</c> rule keeps failing rows out; a <c>warn</c> one only counts them.</param>
/// <param name="Failed">Rows that failed (for <c>max_null_fraction</c>, the null values when their fraction is too large).</param>
/// <param name="Total">Rows the rule was applied to.</param>
public sealed record RuleViolations(string View, string Feature, string Rule, ValidationSeverity Severity, long Failed, long Total)
{
    /// <summary>The position of the example row in what was pushed (<c>df.column[row]</c>); null when rows have no position.</summary>
    public long? ExampleRow { get; init; }

    /// <summary>The example row's entity, as <c>user_id=7</c>; null when not known.</summary>
    public string? ExampleEntity { get; init; }

    /// <summary>The example row's value of <see cref="Feature"/>, as text (<c>null</c> for a missing value).</summary>
    public string? ExampleValue { get; init; }

    /// <summary>True for an <c>error</c> rule: its failing rows are not written.</summary>
    public bool IsBlocking => Severity == ValidationSeverity.Error;

    /// <summary>The example in words: <c>row 3 (user_id=7): -1</c>.</summary>
    public string DescribeExample()
    {
        var where = (ExampleRow, ExampleEntity) switch
        {
            ({ } row, { } entity) => $"row {row} ({entity})",
            ({ } row, null) => $"row {row}",
            (null, { } entity) => entity,
            _ => null,
        };
        return where is null ? ExampleValue ?? "" : $"{where}: {ExampleValue}";
    }
}

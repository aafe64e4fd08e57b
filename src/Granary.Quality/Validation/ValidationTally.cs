using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.Quality.Validation;

/// <summary>
/// The counts of one validator's rules over the rows it has been given, batch after batch: per rule the failed rows,
/// the rows judged and the first failure as an example; for <c>max_null_fraction</c>, the nulls. Not shared between
/// threads: one per push, stream batch or materialization run.
/// </summary>
internal sealed class ValidationTally
{
    private readonly RowValidator _validator;
    private readonly long[] _failed;
    private readonly long[] _total;
    private readonly long?[] _exampleRow;
    private readonly string?[] _exampleEntity;
    private readonly string?[] _exampleValue;

    public ValidationTally(RowValidator validator)
    {
        _validator = validator;
        var rules = validator.RuleCount;
        _failed = new long[rules];
        _total = new long[rules];
        _exampleRow = new long?[rules];
        _exampleEntity = new string?[rules];
        _exampleValue = new string?[rules];
    }

    public RowValidator Validator => _validator;

    /// <summary>Rows kept out by an <c>error</c> rule, over every batch counted.</summary>
    public long RejectedRows { get; internal set; }

    internal void Judged(int rule, long rows) => _total[rule] += rows;

    internal void Failed(int rule, long failures, FeatureValue[] cells, int first, int cell, long? row)
    {
        if (_failed[rule] == 0)
        {
            _exampleRow[rule] = row;
            _exampleEntity[rule] = _validator.DescribeEntity(cells, first);
            _exampleValue[rule] = cells[first + cell].ToString();
        }

        _failed[rule] += failures;
    }

    /// <summary>
    /// The rules that found something: per-row and <c>unique</c> rules with a failed row, <c>max_null_fraction</c>
    /// ones whose nulls are more than their share of the rows. In declaration order.
    /// </summary>
    public List<RuleViolations> Violations()
    {
        var violations = new List<RuleViolations>();
        for (var rule = 0; rule < _failed.Length; rule++)
        {
            if (_failed[rule] == 0 || (_validator.NullFraction(rule) is { } max && !Exceeds(_failed[rule], _total[rule], max)))
            {
                continue;
            }

            var (feature, declaration) = _validator.Rule(rule);
            violations.Add(new RuleViolations(_validator.View, feature, declaration.Rule, declaration.Severity, _failed[rule], _total[rule])
            {
                ExampleRow = _exampleRow[rule],
                ExampleEntity = _exampleEntity[rule],
                ExampleValue = _exampleValue[rule],
            });
        }

        return violations;
    }

    /// <summary>The <c>max_null_fraction</c> rules of severity error whose nulls exceed their share: they fail the rows as a whole.</summary>
    public List<RuleViolations> BlockingNullFractions()
    {
        var blocking = new List<RuleViolations>();
        foreach (var violation in Violations())
        {
            if (violation.Rule == "max_null_fraction" && violation.IsBlocking)
            {
                blocking.Add(violation);
            }
        }

        return blocking;
    }

    private static bool Exceeds(long nulls, long rows, double max) => rows > 0 && (double)nulls / rows > max;
}

using System.Text.Json;
using Granary.Core.Model;
using Granary.Core.Values;
using Granary.Quality.Validation;

namespace Granary.Tests.Quality.Validation;

/// <summary>Each rule kind of the row validator on small batches: which rows fail, the counts and the example it reports.</summary>
public sealed class RowValidatorTests
{
    // Rows: user_id (the join key), clicks, impressions, ctr, country.
    private static readonly ValidatedColumn[] Columns =
    [
        new("user_id", FeatureType.Int64), new("clicks", FeatureType.Int64), new("impressions", FeatureType.Int64),
        new("ctr", FeatureType.Float64), new("country", FeatureType.String),
    ];

    internal static FieldValidationRule Rule(string kind, string parameters = "{}", ValidationSeverity severity = ValidationSeverity.Error)
    {
        using var document = JsonDocument.Parse(parameters);
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            values[property.Name] = property.Value.Clone();
        }

        return new FieldValidationRule(kind, severity) { Parameters = values };
    }

    private static RowValidator Validator(string field, params FieldValidationRule[] rules)
    {
        var fields = Columns.Skip(1).Select(c => new Field(c.Name, c.Type) { Validation = c.Name == field ? rules : [] });
        return RowValidator.For("ads", Columns, 1, fields)!;
    }

    private static ValidationBatch Batch(params (long User, long? Clicks, long? Impressions, double? Ctr, string? Country, long Time)[] rows)
    {
        var cells = new List<FeatureValue>();
        foreach (var r in rows)
        {
            cells.Add(FeatureValue.Int64(r.User));
            cells.Add(r.Clicks is { } c ? FeatureValue.Int64(c) : FeatureValue.Null(FeatureType.Int64));
            cells.Add(r.Impressions is { } i ? FeatureValue.Int64(i) : FeatureValue.Null(FeatureType.Int64));
            cells.Add(r.Ctr is { } x ? FeatureValue.Float64(x) : FeatureValue.Null(FeatureType.Float64));
            cells.Add(r.Country is { } s ? FeatureValue.String(s) : FeatureValue.Null(FeatureType.String));
        }

        return new ValidationBatch([.. cells], Columns.Length, rows.Length, [.. rows.Select(r => r.Time)]);
    }

    private static (bool[] Rejected, List<RuleViolations> Violations, ValidationTally Tally) Run(RowValidator validator, ValidationBatch batch)
    {
        var tally = new ValidationTally(validator);
        var rejected = new bool[batch.Count];
        validator.Validate(batch, tally, rejected);
        return (rejected, tally.Violations(), tally);
    }

    [Fact]
    public void Range_rejects_values_outside_its_inclusive_bounds_and_lets_nulls_pass()
    {
        var validator = Validator("ctr", Rule("range", """{"min": 0, "max": 1}"""));

        var (rejected, violations, _) = Run(validator, Batch((1, 0, 0, 0.0, "US", 0), (2, 0, 0, 1.0, "US", 0), (3, 0, 0, 1.5, "US", 0), (4, 0, 0, null, "US", 0), (5, 0, 0, -0.1, "US", 0)));

        Assert.Equal([false, false, true, false, true], rejected);
        var v = Assert.Single(violations);
        Assert.Equal(("ads", "ctr", "range", 2L, 5L), (v.View, v.Feature, v.Rule, v.Failed, v.Total));
        Assert.Equal((2L, "user_id=3", "1.5"), (v.ExampleRow, v.ExampleEntity, v.ExampleValue));
    }

    [Fact]
    public void Range_with_only_a_minimum_has_no_upper_bound()
    {
        var validator = Validator("clicks", Rule("range", """{"min": 10}"""));

        var (rejected, _, _) = Run(validator, Batch((1, 9, 0, 0, "US", 0), (2, 10, 0, 0, "US", 0), (3, long.MaxValue, 0, 0, "US", 0)));

        Assert.Equal([true, false, false], rejected);
    }

    [Fact]
    public void Not_null_rejects_exactly_the_missing_values()
    {
        var validator = Validator("country", Rule("not_null"));

        var (rejected, violations, _) = Run(validator, Batch((1, 0, 0, 0, "US", 0), (2, 0, 0, 0, null, 0), (3, 0, 0, 0, "", 0)));

        Assert.Equal([false, true, false], rejected);
        Assert.Equal("null", Assert.Single(violations).ExampleValue);
    }

    [Fact]
    public void Enum_compares_strings_exactly_and_integers_by_value()
    {
        var strings = Validator("country", Rule("enum", """{"values": ["US", "FR"]}"""));
        var integers = Validator("clicks", Rule("enum", """{"values": [1, 2]}"""));

        var (byString, _, _) = Run(strings, Batch((1, 0, 0, 0, "US", 0), (2, 0, 0, 0, "us", 0), (3, 0, 0, 0, "DE", 0), (4, 0, 0, 0, null, 0)));
        var (byInteger, _, _) = Run(integers, Batch((1, 1, 0, 0, "US", 0), (2, 3, 0, 0, "US", 0), (3, null, 0, 0, "US", 0)));

        Assert.Equal([false, true, true, false], byString);
        Assert.Equal([false, true, false], byInteger);
    }

    [Fact]
    public void Regex_matches_anywhere_unless_anchored()
    {
        var anchored = Validator("country", Rule("regex", """{"pattern": "^[A-Z]{2}$"}"""));
        var loose = Validator("country", Rule("regex", """{"pattern": "[A-Z]{2}"}"""));
        var batch = Batch((1, 0, 0, 0, "US", 0), (2, 0, 0, 0, "USA", 0), (3, 0, 0, 0, "us", 0), (4, 0, 0, 0, null, 0));

        Assert.Equal([false, true, true, false], Run(anchored, batch).Rejected);
        Assert.Equal([false, false, true, false], Run(loose, batch).Rejected);
    }

    [Fact]
    public void Expression_fails_only_when_false_so_unknown_passes()
    {
        var validator = Validator("clicks", Rule("expression", """{"expr": "clicks <= impressions"}"""));

        var (rejected, violations, _) = Run(validator, Batch((1, 3, 5, 0, "US", 0), (2, 6, 5, 0, "US", 0), (3, null, 5, 0, "US", 0), (4, 5, 5, 0, "US", 0)));

        Assert.Equal([false, true, false, false], rejected);
        Assert.Equal(("user_id=2", "6"), (Assert.Single(violations).ExampleEntity, violations[0].ExampleValue));
    }

    [Fact]
    public void Unique_rejects_every_row_of_an_entity_repeated_at_one_event_time()
    {
        var validator = Validator("ctr", Rule("unique"));

        var (rejected, violations, _) = Run(validator, Batch((1, 0, 0, 0.1, "US", 100), (1, 0, 0, 0.2, "US", 100), (1, 0, 0, 0.3, "US", 200), (2, 0, 0, 0.4, "US", 100)));

        Assert.Equal([true, true, false, false], rejected);
        Assert.Equal((2L, 4L), (Assert.Single(violations).Failed, violations[0].Total));
    }

    [Fact]
    public void Unique_takes_the_ties_it_is_told_of_instead_of_grouping_the_rows()
    {
        var validator = Validator("ctr", Rule("unique"));
        var batch = Batch((1, 0, 0, 0.1, "US", 100), (2, 0, 0, 0.2, "US", 100)) with { Tied = [false, true] };

        Assert.Equal([false, true], Run(validator, batch).Rejected);
    }

    [Fact]
    public void Max_null_fraction_fails_the_rows_as_a_whole_only_above_its_share()
    {
        var at = Validator("ctr", Rule("max_null_fraction", """{"value": 0.25}"""));
        var below = Validator("ctr", Rule("max_null_fraction", """{"value": 0.2}"""));
        var batch = Batch((1, 0, 0, null, "US", 0), (2, 0, 0, 0.1, "US", 0), (3, 0, 0, 0.1, "US", 0), (4, 0, 0, 0.1, "US", 0));

        var (atRejected, atViolations, atTally) = Run(at, batch);
        var (belowRejected, belowViolations, belowTally) = Run(below, batch);

        Assert.Empty(atViolations);
        Assert.Empty(atTally.BlockingNullFractions());
        var v = Assert.Single(belowViolations);
        Assert.Equal((1L, 4L, "user_id=1"), (v.Failed, v.Total, v.ExampleEntity));
        Assert.Single(belowTally.BlockingNullFractions());
        Assert.All(atRejected.Concat(belowRejected), Assert.False);
    }

    [Fact]
    public void A_warn_rule_counts_its_failures_and_rejects_nothing()
    {
        var validator = Validator("ctr", Rule("range", """{"max": 1}""", ValidationSeverity.Warn));

        var (rejected, violations, tally) = Run(validator, Batch((1, 0, 0, 2.0, "US", 0), (2, 0, 0, 0.5, "US", 0)));

        Assert.Equal([false, false], rejected);
        Assert.False(Assert.Single(violations).IsBlocking);
        Assert.Equal(0, tally.RejectedRows);
    }

    [Fact]
    public void A_row_failing_two_rules_is_rejected_once_and_counted_by_each()
    {
        var country = RowValidator.For("ads", Columns, 1, [new Field("country", FeatureType.String) { Validation = [Rule("not_null")] }, new Field("ctr", FeatureType.Float64) { Validation = [Rule("range", """{"max": 1}""")] }])!;

        var (_, _, tally) = Run(country, Batch((1, 0, 0, 2.0, null, 0), (2, 0, 0, 0.5, "US", 0)));

        Assert.Equal(1, tally.RejectedRows);
        Assert.Equal([1L, 1L], tally.Violations().Select(v => v.Failed));
    }

    [Fact]
    public void A_view_without_rules_has_no_validator()
    {
        Assert.Null(RowValidator.For("ads", Columns, 1, Columns.Skip(1).Select(c => new Field(c.Name, c.Type))));
    }

    [Fact]
    public void An_expression_over_a_column_the_rows_lack_is_a_definition_error_unless_skipped()
    {
        Field[] fields = [new("ctr", FeatureType.Float64) { Validation = [Rule("expression", """{"expr": "missing > 0"}""")] }];

        var e = Assert.Throws<Granary.Core.Errors.GranaryException>(() => RowValidator.For("ads", Columns, 1, fields));

        Assert.Equal(Granary.Contracts.Errors.ErrorCodes.InvalidDefinition, e.Code);
        Assert.Contains("'expression' of field 'ctr' of feature view 'ads'", e.Message, StringComparison.Ordinal);
        Assert.Null(RowValidator.For("ads", Columns, 1, fields, skipUnavailable: true));
    }
}

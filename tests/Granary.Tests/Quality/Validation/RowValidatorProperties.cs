using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Model;
using Granary.Core.Values;
using Granary.Quality.Validation;

namespace Granary.Tests.Quality.Validation;

/// <summary>
/// The per-row rules against a naive reference written from their definitions (docs/quality.md), on random rows with
/// nulls and random bounds and value lists: the same rows rejected and the same count per rule.
/// </summary>
public sealed class RowValidatorProperties
{
    private static readonly ValidatedColumn[] Columns = [new("id", FeatureType.Int64), new("x", FeatureType.Int64), new("s", FeatureType.String)];
    private static readonly string[] Words = ["a", "A", "b", "ab", "ba", "zz", ""];
    private const string Pattern = "^[ab]+$";
    private const string Expression = "x <= 3 or lower(s) = 'a'";

    public sealed record Row(long? X, string? S);

    public sealed record Case(long Min, long Max, string[] Allowed, bool[] Warn, List<Row> Rows);

    private static Gen<Row> RowGen() =>
        from x in Gen.Frequency((1, Gen.Constant<long?>(null)), (4, Gen.Choose(-5, 10).Select(v => (long?)v)))
        from s in Gen.Frequency((1, Gen.Constant<string?>(null)), (4, Gen.Elements(Words).Select(v => (string?)v)))
        select new Row(x, s);

    private static Gen<Case> CaseGen() =>
        from min in Gen.Choose(-5, 5)
        from width in Gen.Choose(0, 8)
        from allowed in Gen.SubListOf(Words)
        from warn in Gen.ArrayOf(Gen.Elements(true, false), 5)
        from rows in Gen.ListOf(RowGen(), 20)
        select new Case(min, min + width, [.. allowed.DefaultIfEmpty("a")], warn, [.. rows]);

    [Property(MaxTest = 200)]
    public Property Per_row_rules_agree_with_a_naive_reference() =>
        Prop.ForAll(CaseGen().ToArbitrary(), c =>
        {
            ValidationSeverity Severity(int i) => c.Warn[i] ? ValidationSeverity.Warn : ValidationSeverity.Error;
            var allowed = string.Join(", ", c.Allowed.Select(a => $"\"{a}\""));
            Field[] fields =
            [
                new("x", FeatureType.Int64)
                {
                    Validation =
                    [
                        RowValidatorTests.Rule("range", $$"""{"min": {{c.Min}}, "max": {{c.Max}}}""", Severity(0)),
                        RowValidatorTests.Rule("not_null", "{}", Severity(1)),
                        RowValidatorTests.Rule("expression", $$"""{"expr": "{{Expression}}"}""", Severity(4)),
                    ],
                },
                new("s", FeatureType.String)
                {
                    Validation =
                    [
                        RowValidatorTests.Rule("enum", $$"""{"values": [{{allowed}}]}""", Severity(2)),
                        RowValidatorTests.Rule("regex", $$"""{"pattern": "{{Pattern}}"}""", Severity(3)),
                    ],
                },
            ];
            var validator = RowValidator.For("v", Columns, 1, fields)!;
            var batch = Batch(c.Rows);
            var tally = new ValidationTally(validator);
            var rejected = new bool[c.Rows.Count];
            validator.Validate(batch, tally, rejected);

            // The reference, rule by rule in declaration order: range, not_null, expression (on x), enum, regex (on s).
            var severities = new[] { c.Warn[0], c.Warn[1], c.Warn[4], c.Warn[2], c.Warn[3] };
            var expectedCounts = new long[5];
            var expectedRejected = new bool[c.Rows.Count];
            for (var r = 0; r < c.Rows.Count; r++)
            {
                var (x, s) = (c.Rows[r].X, c.Rows[r].S);
                bool[] fails =
                [
                    x is { } v && (v < c.Min || v > c.Max),
                    x is null,
                    ExpressionIsFalse(x, s),
                    s is not null && !c.Allowed.Contains(s, StringComparer.Ordinal),
                    s is not null && !Regex.IsMatch(s, Pattern),
                ];
                for (var i = 0; i < fails.Length; i++)
                {
                    expectedCounts[i] += fails[i] ? 1 : 0;
                    expectedRejected[r] |= fails[i] && !severities[i];
                }
            }

            var actualCounts = new long[5];
            var order = new[] { "range", "not_null", "expression", "enum", "regex" };
            foreach (var violation in tally.Violations())
            {
                actualCounts[Array.IndexOf(order, violation.Rule)] = violation.Failed;
            }

            return (rejected.SequenceEqual(expectedRejected) && actualCounts.SequenceEqual(expectedCounts))
                .Label($"rejected {string.Join("", rejected.Select(b => b ? 1 : 0))} vs {string.Join("", expectedRejected.Select(b => b ? 1 : 0))}; counts {string.Join(",", actualCounts)} vs {string.Join(",", expectedCounts)}");
        });

    // SQL's three-valued "x <= 3 or lower(s) = 'a'": false only when neither side is true and neither is unknown.
    private static bool ExpressionIsFalse(long? x, string? s)
    {
        bool? left = x is { } v ? v <= 3 : null;
        bool? right = s is null ? null : s.Equals("a", StringComparison.OrdinalIgnoreCase);
        return left == false && right == false;
    }

    private static ValidationBatch Batch(List<Row> rows)
    {
        var cells = new FeatureValue[rows.Count * 3];
        for (var r = 0; r < rows.Count; r++)
        {
            cells[r * 3] = FeatureValue.Int64(r);
            cells[r * 3 + 1] = rows[r].X is { } x ? FeatureValue.Int64(x) : FeatureValue.Null(FeatureType.Int64);
            cells[r * 3 + 2] = rows[r].S is { } s ? FeatureValue.String(s) : FeatureValue.Null(FeatureType.String);
        }

        return new ValidationBatch(cells, 3, rows.Count, new long[rows.Count]);
    }
}

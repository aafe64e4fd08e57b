using System.Globalization;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Granary.Core.Model;
using Granary.Offline;
using Granary.Quality.Rules;
using Granary.Tests.Offline.Contracts;

namespace Granary.Tests.Quality.Rules;

/// <summary>
/// <see cref="IRuleEvaluator"/>: on a small known dataset every rule kind counts its failing rows in [start, end)
/// (nulls pass every rule but not_null and max_null_fraction; NaN is in no range), gives the smallest failing value
/// as its example (or the row's entity and event time), and decides whether it holds.
/// </summary>
public abstract class RuleEvaluatorContract : OfflineCapabilityContract<IRuleEvaluator>
{
    private static readonly DateTime T0 = RuleRow.Start;
    private static readonly DateTime T1 = RuleRow.Start.AddHours(1);
    private static readonly DateTime T2 = RuleRow.Start.AddHours(2);

    /// <summary>Six rows in the period and two outside it, each failing the rules the comments say.</summary>
    private static readonly RuleRow[] Known =
    [
        new(1, T0, 0.5, 1, 10, "US"),
        new(2, T0, 1.5, 5, 3, "FR"),                 // range (1.5), expression (5 <= 3)
        new(3, T0, null, 2, null, "us"),             // not_null, enum, regex; the expression is unknown, so passes
        new(1, T1, -0.25, 0, 0, "DE"),               // range (-0.25), enum
        new(1, T1, double.NaN, null, 4, null),       // range (NaN); the second row of (1, T1): unique
        new(4, T2, 0, 7, 7, "USA"),                  // enum, regex
        new(5, RuleRow.End, 9, 9, 1, "zz"),          // at the end: outside the period
        new(5, T0.AddHours(-1), null, 9, 1, "zz"),   // before the start: outside
    ];

    /// <summary>A source of this engine's kind holding <paramref name="rows"/> (columns user_id, ts, ctr, clicks, impressions, country).</summary>
    protected abstract Task<BatchSource> CreateSourceAsync(IReadOnlyList<RuleRow> rows);

    [Fact]
    public async Task Every_rule_kind_counts_its_failing_rows_in_the_period_with_the_smallest_failing_value_as_example()
    {
        var source = await CreateSourceAsync(Known);
        var view = RuleRow.View(source.Name, RuleRow.AllKinds);

        var outcomes = await Capability.EvaluateRulesAsync(RuleRow.Request(view, source, Root));

        Assert.Equal(
            [
                new RuleOutcome("ctr", "range", ValidationSeverity.Error, 3, 6, "-0.25", false),
                new RuleOutcome("ctr", "not_null", ValidationSeverity.Error, 1, 6, "user_id=3, ts=2026-11-01 00:00:00+00", false),
                new RuleOutcome("ctr", "max_null_fraction", ValidationSeverity.Warn, 1, 6, null, true),
                new RuleOutcome("clicks", "expression", ValidationSeverity.Error, 1, 6, "clicks=5, impressions=3", false),
                new RuleOutcome("country", "enum", ValidationSeverity.Error, 3, 6, "DE", false),
                new RuleOutcome("country", "regex", ValidationSeverity.Error, 2, 6, "USA", false),
                new RuleOutcome("country", "unique", ValidationSeverity.Error, 1, 6, "user_id=1, ts=2026-11-01 01:00:00+00", false),
            ],
            outcomes);
    }

    [Property(MaxTest = 25)]
    public Property Every_rule_kind_agrees_with_a_naive_count_on_random_rows(int seed) =>
        Prop.ToProperty(Task.Run(() => AgreesAsync(seed)).GetAwaiter().GetResult());

    [Fact]
    public async Task A_null_fraction_above_the_limit_fails_with_the_entity_and_time_of_a_null_row()
    {
        var source = await CreateSourceAsync(Known);
        var view = RuleRow.View(source.Name, ("clicks", [RuleRow.Rule("max_null_fraction", ("value", 0.1))]), ("impressions", [RuleRow.Rule("max_null_fraction", ("value", 0.2))]));

        var outcomes = await Capability.EvaluateRulesAsync(RuleRow.Request(view, source, Root));

        // clicks: 1 null in 6 (0.17 > 0.1); impressions: 1 in 6 (0.17 <= 0.2).
        Assert.Equal(
            [
                new RuleOutcome("clicks", "max_null_fraction", ValidationSeverity.Error, 1, 6, "user_id=1, ts=2026-11-01 01:00:00+00", false),
                new RuleOutcome("impressions", "max_null_fraction", ValidationSeverity.Error, 1, 6, null, true),
            ],
            outcomes);
    }

    [Fact]
    public async Task Rules_that_hold_report_their_totals_without_examples_and_one_sided_ranges_and_integer_enums_count()
    {
        var source = await CreateSourceAsync(Known);
        var view = RuleRow.View(
            source.Name,
            ("clicks", [RuleRow.Rule("range", ("min", 0)), RuleRow.Rule("enum", ("values", new[] { 0, 1, 2, 5, 7 }))]),
            ("ctr", [RuleRow.Rule("range", ("max", 1))]),
            ("country", [RuleRow.Rule("regex", ("pattern", "[A-Z]"))]));

        var outcomes = await Capability.EvaluateRulesAsync(RuleRow.Request(view, source, Root));

        Assert.Equal(
            [
                // 1.5 and NaN are above 1; -0.25 is not.
                new RuleOutcome("ctr", "range", ValidationSeverity.Error, 2, 6, "1.5", false),
                new RuleOutcome("clicks", "range", ValidationSeverity.Error, 0, 6, null, true),
                new RuleOutcome("clicks", "enum", ValidationSeverity.Error, 0, 6, null, true),
                // Search, not full match: "us" has no capital; "USA" and "DE" have some.
                new RuleOutcome("country", "regex", ValidationSeverity.Error, 1, 6, "us", false),
            ],
            outcomes);
    }

    [Fact]
    public async Task A_period_without_rows_has_zero_totals_and_every_rule_holds()
    {
        var source = await CreateSourceAsync(Known);
        var view = RuleRow.View(source.Name, RuleRow.AllKinds);

        var outcomes = await Capability.EvaluateRulesAsync(RuleRow.Request(view, source, Root, RuleRow.End.AddDays(1), RuleRow.End.AddDays(2)));

        Assert.Equal(7, outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal((0L, 0L, (string?)null, true), (o.Failed, o.Total, o.Example, o.Passed)));
    }

    [Fact]
    public async Task Open_bounds_take_every_row_of_the_source()
    {
        var source = await CreateSourceAsync(Known);
        var view = RuleRow.View(source.Name, ("ctr", [RuleRow.Rule("not_null")]));
        var request = RuleRow.Request(view, source, Root) with { Start = null, End = null };

        var outcome = Assert.Single(await Capability.EvaluateRulesAsync(request));

        Assert.Equal((2L, 8L), (outcome.Failed, outcome.Total));
    }

    // An atomic group: .NET reads it, neither RE2 (DuckDB) nor PostgreSQL does.
    [Fact]
    public async Task A_rule_the_engine_cannot_run_is_an_invalid_argument_naming_the_view()
    {
        var source = await CreateSourceAsync(Known);
        var view = RuleRow.View(source.Name, ("country", [RuleRow.Rule("regex", ("pattern", "(?>atomic)"))]));

        var error = await Assert.ThrowsAsync<Granary.Core.Errors.GranaryException>(() => Capability.EvaluateRulesAsync(RuleRow.Request(view, source, Root)));

        Assert.Equal(Granary.Contracts.Errors.ErrorCodes.InvalidArgument, error.Code);
        Assert.Contains("'ads'", error.Message, StringComparison.Ordinal);
    }

    private async Task<bool> AgreesAsync(int seed)
    {
        var rows = RandomRows(seed);
        var source = await CreateSourceAsync(rows);
        var outcomes = await Capability.EvaluateRulesAsync(RuleRow.Request(RuleRow.View(source.Name, RuleRow.AllKinds), source, Root));

        Assert.Equal(Naive(rows), outcomes);
        return true;
    }

    private static List<RuleRow> RandomRows(int seed)
    {
        var random = new Random(seed);
        double?[] ctrs = [null, double.NaN, -0.5, 0, 0.25, 1, 1.5];
        string?[] countries = [null, "US", "FR", "us", "DE", "USA", "", "O'N"];
        long? Small() => random.Next(4) == 0 ? null : random.Next(-1, 4);
        var rows = new List<RuleRow>();
        for (var i = random.Next(30); i > 0; i--)
        {
            // Whole hours from two before the start to two past the end, a few users: ties on (user, time) happen.
            rows.Add(new RuleRow(random.Next(1, 4), RuleRow.Start.AddHours(random.Next(-2, 27)), ctrs[random.Next(ctrs.Length)], Small(), Small(), countries[random.Next(countries.Length)]));
        }

        return rows;
    }

    /// <summary>What <see cref="RuleRow.AllKinds"/> should report on <paramref name="all"/>, counted row by row.</summary>
    private static List<RuleOutcome> Naive(List<RuleRow> all)
    {
        var rows = all.Where(r => r.At >= RuleRow.Start && r.At < RuleRow.End).ToList();
        var total = rows.Count;
        string Key(long user, DateTime at) => $"user_id={user}, ts={at:yyyy-MM-dd HH:mm:ss}+00";
        RuleOutcome Outcome(string feature, string rule, List<string> failing, ValidationSeverity severity = ValidationSeverity.Error) =>
            new(feature, rule, severity, failing.Count, total, failing.Count == 0 ? null : failing.Min(StringComparer.Ordinal), failing.Count == 0);

        var outOfRange = rows.Where(r => r.Ctr is { } c && (double.IsNaN(c) || c < 0 || c > 1)).Select(r => r.Ctr!.Value).ToList();
        var rangeExample = outOfRange.Count == 0 ? null
            : outOfRange.Any(c => !double.IsNaN(c)) ? outOfRange.Where(c => !double.IsNaN(c)).Min().ToString("R", CultureInfo.InvariantCulture) : "NaN";
        var nulls = rows.Where(r => r.Ctr is null).Select(r => Key(r.UserId, r.At)).ToList();
        var nullsOver = total > 0 && (double)nulls.Count / total > 0.2;
        var duplicates = rows.GroupBy(r => (r.UserId, r.At)).Where(g => g.Count() > 1).ToList();
        var extra = duplicates.Sum(g => g.Count() - 1);
        return
        [
            new("ctr", "range", ValidationSeverity.Error, outOfRange.Count, total, rangeExample, outOfRange.Count == 0),
            Outcome("ctr", "not_null", nulls),
            new("ctr", "max_null_fraction", ValidationSeverity.Warn, nulls.Count, total, nullsOver ? nulls.Min(StringComparer.Ordinal) : null, !nullsOver),
            Outcome("clicks", "expression", [.. rows.Where(r => r.Clicks > r.Impressions).Select(r => $"clicks={r.Clicks}, impressions={r.Impressions}")]),
            Outcome("country", "enum", [.. rows.Where(r => r.Country is { } c && c is not ("US" or "FR")).Select(r => r.Country!)]),
            Outcome("country", "regex", [.. rows.Where(r => r.Country is { } c && !Regex.IsMatch(c, "^[A-Z]{2}$")).Select(r => r.Country!)]),
            new("country", "unique", ValidationSeverity.Error, extra, total, extra == 0 ? null : duplicates.Select(g => Key(g.Key.UserId, g.Key.At)).Min(StringComparer.Ordinal), extra == 0),
        ];
    }
}

using System.Data.Common;
using System.Globalization;
using System.Text;
using Granary.Quality.Expressions;

namespace Granary.Quality.Rules;

/// <summary>
/// The one statement that evaluates every rule of a view inside the engine, over a relation of its rows in the period
/// (the engine writes that part, see <see cref="Statement"/>): a single aggregate counts the failing rows of every row
/// rule (<c>count(*) FILTER (WHERE ...)</c>) with the smallest failing value as its example, and, when a field has a
/// <c>unique</c> rule, one grouped pass finds the (entity, event time) pairs held by more than one row. The same text
/// for DuckDB and PostgreSQL but for type names, the regular expression operator and PostgreSQL's byte-order
/// collation, so both engines give the same counts and examples.
/// </summary>
internal sealed class RuleAggregateSql
{
    /// <summary>The column of the rows relation holding the event time (as a timestamp with time zone).</summary>
    public const string EventColumn = "__granary_event_ts";

    private const string RowsName = "__granary_rows";

    private readonly IReadOnlyList<ViewRule> _rules;
    private readonly IReadOnlyList<string> _joinKeys;
    private readonly string _eventTimeName;
    private readonly SqlDialect _dialect;
    private readonly bool _unique;

    /// <param name="rules">The rules, in report order.</param>
    /// <param name="joinKeys">The view's join keys: with the event time, what identifies a row in examples and for <c>unique</c>.</param>
    /// <param name="eventTimeName">The event time's name as examples show it (the source's timestamp field).</param>
    /// <param name="dialect">The engine.</param>
    public RuleAggregateSql(IReadOnlyList<ViewRule> rules, IReadOnlyList<string> joinKeys, string eventTimeName, SqlDialect dialect)
    {
        _rules = rules;
        _joinKeys = joinKeys;
        _eventTimeName = eventTimeName;
        _dialect = dialect;
        _unique = rules.Any(r => !r.IsAggregate);
        var columns = new List<string>(joinKeys);
        foreach (var rule in rules)
        {
            Add(columns, rule.Feature);
            foreach (var column in rule.Expression?.Columns ?? [])
            {
                Add(columns, column.Name);
            }
        }

        Columns = columns;
    }

    /// <summary>
    /// The columns, by their names in the definitions, that the rows relation must have (besides <see cref="EventColumn"/>):
    /// the join keys, the fields with rules and every column an expression reads.
    /// </summary>
    public IReadOnlyList<string> Columns { get; }

    private string Text => _dialect == SqlDialect.DuckDb ? "VARCHAR" : "text";

    private string Double => _dialect == SqlDialect.DuckDb ? "DOUBLE" : "double precision";

    /// <summary>
    /// The statement over <paramref name="rowsSelect"/>, a <c>SELECT</c> of the view's rows in the period with each of
    /// <see cref="Columns"/> under its own (quoted) name and the event time as <see cref="EventColumn"/>. Its one row
    /// is read by <see cref="Read"/>.
    /// </summary>
    public string Statement(string rowsSelect)
    {
        var select = new StringBuilder("count(*)");
        foreach (var rule in _rules)
        {
            if (!rule.IsAggregate)
            {
                continue;
            }

            var failing = Failing(rule);
            select.Append(CultureInfo.InvariantCulture, $",\n    count(*) FILTER (WHERE {failing}), {Min(Example(rule), ExampleIsText(rule))} FILTER (WHERE {failing})");
        }

        var statement = new StringBuilder()
            .Append("WITH ").Append(RowsName).Append(" AS (\n").Append(rowsSelect).Append("\n)\n")
            .Append("SELECT * FROM (SELECT ").Append(select).Append(" FROM ").Append(RowsName).Append(") AS __granary_rules");
        if (_unique)
        {
            var group = new StringBuilder();
            foreach (var key in _joinKeys)
            {
                group.Append(Quote(key)).Append(", ");
            }

            group.Append(EventColumn);
            statement.Append(CultureInfo.InvariantCulture, $"""

                CROSS JOIN (
                    SELECT count(*), CAST(coalesce(sum(n - 1), 0) AS BIGINT), {Min("k", text: true)} FROM (
                        SELECT count(*) AS n, {RowKey()} AS k FROM {RowsName} GROUP BY {group} HAVING count(*) > 1
                    ) AS __granary_groups
                ) AS __granary_duplicates
                """);
        }

        return statement.ToString();
    }

    /// <summary>The outcome of every rule, in order, from the statement's one row.</summary>
    public List<RuleOutcome> Read(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var total = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
        var column = 1;
        var aggregates = new List<(long Failed, string? Example)>();
        foreach (var rule in _rules)
        {
            if (rule.IsAggregate)
            {
                aggregates.Add((Convert.ToInt64(reader.GetValue(column), CultureInfo.InvariantCulture), ExampleText(reader, column + 1)));
                column += 2;
            }
        }

        // Every unique rule shares the one duplicate count: uniqueness is per entity and event time.
        var duplicates = _unique ? Convert.ToInt64(reader.GetValue(column + 1), CultureInfo.InvariantCulture) : 0;
        var duplicateExample = _unique ? ExampleText(reader, column + 2) : null;
        var outcomes = new List<RuleOutcome>(_rules.Count);
        var next = 0;
        foreach (var rule in _rules)
        {
            long failed;
            string? example;
            bool passed;
            if (!rule.IsAggregate)
            {
                (failed, example, passed) = (duplicates, duplicateExample, duplicates == 0);
            }
            else
            {
                (failed, example) = aggregates[next++];
                passed = rule.Rule == RuleKinds.MaxNullFraction ? total == 0 || (double)failed / total <= rule.Fraction : failed == 0;
            }

            outcomes.Add(new RuleOutcome(rule.Feature, rule.Rule, rule.Severity, failed, total, passed ? null : example, passed));
        }

        return outcomes;
    }

    /// <summary>The condition a row fails the rule by; a null (unknown) result does not count, as in a SQL CHECK.</summary>
    private string Failing(ViewRule rule)
    {
        var x = Quote(rule.Feature);
        switch (rule.Rule)
        {
            case RuleKinds.Range:
                var value = $"CAST({x} AS {Double})";
                var parts = new List<string>();
                if (rule.FieldType.Kind is Core.Model.ScalarKind.Float32 or Core.Model.ScalarKind.Float64)
                {
                    // NaN is in no range. Both engines order NaN above every number and equal to itself.
                    parts.Add($"{value} = CAST('NaN' AS {Double})");
                }

                if (rule.Min is { } min)
                {
                    parts.Add($"{value} < {Number(min)}");
                }

                if (rule.Max is { } max)
                {
                    parts.Add($"{value} > {Number(max)}");
                }

                return $"({string.Join(" OR ", parts)})";
            case RuleKinds.NotNull or RuleKinds.MaxNullFraction:
                return $"{x} IS NULL";
            case RuleKinds.Enum:
                var values = rule.Strings.Count > 0
                    ? rule.Strings.Select(ExpressionSqlTranslator.QuoteString)
                    : rule.Integers.Select(v => v.ToString(CultureInfo.InvariantCulture));
                return $"{x} NOT IN ({string.Join(", ", values)})";
            case RuleKinds.Regex:
                // Search semantics, as .NET's Regex.IsMatch: the pattern may match anywhere unless anchored.
                var pattern = ExpressionSqlTranslator.QuoteString(rule.Pattern!);
                return _dialect == SqlDialect.DuckDb ? $"NOT regexp_matches({x}, {pattern})" : $"NOT ({x} ~ {pattern})";
            case RuleKinds.Expression:
                return $"NOT ({ExpressionSqlTranslator.Translate(rule.Expression!, _dialect)})";
            default:
                throw new InvalidOperationException($"Rule '{rule.Rule}' is not decided by the aggregate.");
        }
    }

    /// <summary>What a failing row shows: its value, the columns an expression reads, or the row's entity and event time.</summary>
    private string Example(ViewRule rule) => rule.Rule switch
    {
        RuleKinds.Range or RuleKinds.Enum or RuleKinds.Regex => Quote(rule.Feature),
        RuleKinds.Expression => Named(rule.Expression!.Columns.Select(c => c.Name)),
        _ => RowKey(),
    };

    /// <summary>The entity and event time of a row as text: <c>user_id=7, event_timestamp=2026-11-01 00:00:00+00</c>.</summary>
    private string RowKey()
    {
        var parts = new List<string>();
        foreach (var key in _joinKeys)
        {
            parts.Add($"{ExpressionSqlTranslator.QuoteString(key + "=")} || coalesce(CAST({Quote(key)} AS {Text}), 'null')");
        }

        parts.Add($"{ExpressionSqlTranslator.QuoteString(_eventTimeName + "=")} || CAST({EventColumn} AS {Text})");
        return string.Join(" || ', ' || ", parts);
    }

    private string Named(IEnumerable<string> columns) =>
        string.Join(" || ', ' || ", columns.Select(c => $"{ExpressionSqlTranslator.QuoteString(c + "=")} || coalesce(CAST({Quote(c)} AS {Text}), 'null')"));

    private static bool ExampleIsText(ViewRule rule) => rule.Rule is not (RuleKinds.Range or RuleKinds.Enum) || rule.Strings.Count > 0;

    // The smallest value, strings in byte order on both engines.
    private string Min(string value, bool text) => text && _dialect == SqlDialect.PostgreSql ? $"min(({value}) COLLATE \"C\")" : $"min({value})";

    private string Number(double value) => $"CAST({ExpressionSqlTranslator.QuoteString(value.ToString("R", CultureInfo.InvariantCulture))} AS {Double})";

    private static string Quote(string name) => ExpressionSqlTranslator.QuoteIdentifier(name);

    private static void Add(List<string> columns, string name)
    {
        if (!columns.Contains(name, StringComparer.Ordinal))
        {
            columns.Add(name);
        }
    }

    private static string? ExampleText(DbDataReader reader, int column) => reader.IsDBNull(column)
        ? null
        : reader.GetValue(column) switch
        {
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            IFormattable value => value.ToString(null, CultureInfo.InvariantCulture),
            var value => value.ToString(),
        };
}

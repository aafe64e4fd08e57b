using System.Text;
using System.Text.Json;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Values;
using Granary.Quality.Expressions;

namespace Granary.Quality.Validation;

/// <summary>
/// A view's validation rules, built once per view and registry version for the rows its write paths hold (push,
/// stream ingest, materialization): per-row rules (<c>range</c>, <c>not_null</c>, <c>enum</c>, <c>regex</c>,
/// <c>expression</c>) judged cell by cell without boxing, and the batch rules <c>unique</c> (per entity and event
/// time within the rows given, or by <see cref="ValidationBatch.Tied"/>) and <c>max_null_fraction</c> (over the rows given, see <see cref="ValidationTally"/>).
/// Immutable: concurrent batches each bring their own tally and their own rejected-row mask.
/// </summary>
internal sealed class RowValidator
{
    private readonly RowRule[] _rowRules;
    private readonly BatchRule[] _batchRules;
    private readonly bool _anyExpression;
    private readonly bool _anyUnique;

    private RowValidator(string view, IReadOnlyList<ValidatedColumn> columns, int keys, RowRule[] rowRules, BatchRule[] batchRules)
    {
        View = view;
        Columns = columns;
        Keys = keys;
        _rowRules = rowRules;
        _batchRules = batchRules;
        foreach (var rule in rowRules)
        {
            _anyExpression |= rule is ExpressionRule;
        }

        foreach (var rule in batchRules)
        {
            _anyUnique |= rule.IsUnique;
        }
    }

    public string View { get; }

    /// <summary>The cells of a row: the join keys, then the other columns.</summary>
    public IReadOnlyList<ValidatedColumn> Columns { get; }

    /// <summary>How many of <see cref="Columns"/> are join keys.</summary>
    public int Keys { get; }

    public int RuleCount => _rowRules.Length + _batchRules.Length;

    /// <summary>Whether a rule is <c>unique</c>: only then must rows be grouped by entity and event time.</summary>
    public bool HasUnique => _anyUnique;

    /// <summary>
    /// The validator of <paramref name="ruleFields"/>' rules over rows laid out as <paramref name="columns"/> (the
    /// first <paramref name="keys"/> of them join keys), or null when the fields declare no rule.
    /// </summary>
    /// <param name="view">The view, as violations name it.</param>
    /// <param name="columns">The cells of a row.</param>
    /// <param name="keys">How many of them are join keys.</param>
    /// <param name="ruleFields">The fields whose <c>validation:</c> rules apply.</param>
    /// <param name="skipUnavailable">
    /// Leave out a rule whose field, or a column its expression reads, is not among <paramref name="columns"/> (the
    /// events of a stream view carry only the columns its aggregations read); otherwise such a rule is a definition
    /// error.
    /// </param>
    /// <exception cref="GranaryException">A rule that cannot be applied (<see cref="ErrorCodes.InvalidDefinition"/>).</exception>
    public static RowValidator? For(string view, IReadOnlyList<ValidatedColumn> columns, int keys, IEnumerable<Field> ruleFields, bool skipUnavailable = false)
    {
        var cellOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var types = new Dictionary<string, FeatureType>(StringComparer.Ordinal);
        for (var c = 0; c < columns.Count; c++)
        {
            if (cellOf.TryAdd(columns[c].Name, c))
            {
                types[columns[c].Name] = columns[c].Type;
            }
        }

        var rowRules = new List<RowRule>();
        var batchRules = new List<BatchRule>();
        foreach (var field in ruleFields)
        {
            foreach (var rule in field.Validation)
            {
                if (!cellOf.TryGetValue(field.Name, out var cell))
                {
                    if (skipUnavailable)
                    {
                        continue;
                    }

                    throw Invalid(view, field, rule, $"its column is not among the rows' columns ({string.Join(", ", cellOf.Keys)})");
                }

                switch (rule.Rule)
                {
                    case "not_null":
                        rowRules.Add(new NotNullRule(field.Name, rule, cell));
                        break;
                    case "range":
                        rowRules.Add(new RangeRule(field.Name, rule, cell, Bound(rule, "min", double.NegativeInfinity), Bound(rule, "max", double.PositiveInfinity)));
                        break;
                    case "enum":
                        rowRules.Add(Build(view, field, rule, () => new EnumRule(field.Name, rule, cell, columns[cell].Type)));
                        break;
                    case "regex":
                        rowRules.Add(Build(view, field, rule, () => new RegexRule(field.Name, rule, cell)));
                        break;
                    case "expression":
                        if (Expression(view, field, rule, cell, types, cellOf, skipUnavailable) is { } expression)
                        {
                            rowRules.Add(expression);
                        }

                        break;
                    case "unique":
                        batchRules.Add(new BatchRule(field.Name, rule, cell, 0));
                        break;
                    case "max_null_fraction":
                        batchRules.Add(new BatchRule(field.Name, rule, cell, Bound(rule, "value", 1)));
                        break;
                    default:
                        throw Invalid(view, field, rule, $"'{rule.Rule}' is not a rule kind; expected one of {string.Join(", ", ValidationRuleKinds.All)}");
                }
            }
        }

        return rowRules.Count + batchRules.Count == 0 ? null : new RowValidator(view, columns, keys, [.. rowRules], [.. batchRules]);
    }

    /// <summary>The field and declaration of rule <paramref name="index"/> (row rules first, then batch rules, each in declaration order).</summary>
    public (string Feature, FieldValidationRule Declaration) Rule(int index) =>
        index < _rowRules.Length ? (_rowRules[index].Feature, _rowRules[index].Declaration) : (_batchRules[index - _rowRules.Length].Feature, _batchRules[index - _rowRules.Length].Declaration);

    /// <summary>The largest share of nulls rule <paramref name="index"/> allows, when it is a <c>max_null_fraction</c> rule.</summary>
    public double? NullFraction(int index) =>
        index >= _rowRules.Length && _batchRules[index - _rowRules.Length] is { IsUnique: false } rule ? rule.MaxNullFraction : null;

    /// <summary>
    /// Judges every row of <paramref name="batch"/>, counting into <paramref name="tally"/>, and sets
    /// <paramref name="rejected"/>[r] for each row that fails an <c>error</c> rule (it is never cleared: several
    /// validators may mark one mask).
    /// </summary>
    /// <param name="batch">The rows.</param>
    /// <param name="tally">Where the counts go.</param>
    /// <param name="rejected">One flag per row of the batch.</param>
    /// <param name="firstRow">The position of the batch's first row in what was pushed, for examples; null when rows have no position.</param>
    /// <returns>Rows this validator rejected.</returns>
    public int Validate(in ValidationBatch batch, ValidationTally tally, bool[] rejected, long? firstRow = 0)
    {
        var cells = batch.Cells;
        var scratch = _anyExpression ? new CellExpressionRow?[_rowRules.Length] : null;
        if (scratch is not null)
        {
            for (var i = 0; i < _rowRules.Length; i++)
            {
                scratch[i] = (_rowRules[i] as ExpressionRule)?.NewRow();
            }
        }

        var rejectedHere = 0;
        for (var r = 0; r < batch.Count; r++)
        {
            var first = r * batch.Stride;
            var bad = false;
            for (var i = 0; i < _rowRules.Length; i++)
            {
                var rule = _rowRules[i];
                if (!rule.Passes(cells, first, scratch?[i]))
                {
                    tally.Failed(i, 1, cells, first, rule.Cell, firstRow + r);
                    bad |= rule.Severity == ValidationSeverity.Error;
                }
            }

            if (bad)
            {
                rejectedHere += Reject(rejected, r);
            }
        }

        for (var i = 0; i < _rowRules.Length; i++)
        {
            tally.Judged(i, batch.Count);
        }

        int[]? groupSizes = null;
        for (var b = 0; b < _batchRules.Length; b++)
        {
            var rule = _batchRules[b];
            var index = _rowRules.Length + b;
            if (rule.IsUnique)
            {
                groupSizes ??= batch.Tied is null ? GroupSizes(batch) : null;
                for (var r = 0; r < batch.Count; r++)
                {
                    if (batch.Tied is { } tied ? tied[r] : groupSizes![r] > 1)
                    {
                        tally.Failed(index, 1, cells, r * batch.Stride, rule.Cell, firstRow + r);
                        if (rule.Declaration.Severity == ValidationSeverity.Error)
                        {
                            rejectedHere += Reject(rejected, r);
                        }
                    }
                }
            }
            else
            {
                for (var r = 0; r < batch.Count; r++)
                {
                    var first = r * batch.Stride;
                    if (cells[first + rule.Cell].IsNull)
                    {
                        tally.Failed(index, 1, cells, first, rule.Cell, firstRow + r);
                    }
                }
            }

            tally.Judged(index, batch.Count);
        }

        tally.RejectedRows += rejectedHere;
        return rejectedHere;
    }

    /// <summary>The entity of the row at <paramref name="first"/>, as <c>user_id=7</c> (keys joined by commas).</summary>
    public string? DescribeEntity(FeatureValue[] cells, int first)
    {
        if (Keys == 0)
        {
            return null;
        }

        var text = new StringBuilder();
        for (var k = 0; k < Keys; k++)
        {
            text.Append(k == 0 ? "" : ", ").Append(Columns[k].Name).Append('=').Append(cells[first + k].ToString());
        }

        return text.ToString();
    }

    private static int Reject(bool[] rejected, int row)
    {
        if (rejected[row])
        {
            return 0;
        }

        rejected[row] = true;
        return 1;
    }

    /// <summary>Per row, how many rows of the batch share its entity and event time (itself included).</summary>
    private int[] GroupSizes(in ValidationBatch batch)
    {
        var firstOf = new Dictionary<int, int>(batch.Count, new RowKeyComparer(batch, Keys));
        var leader = new int[batch.Count];
        var sizes = new int[batch.Count];
        for (var r = 0; r < batch.Count; r++)
        {
            if (!firstOf.TryGetValue(r, out var first))
            {
                firstOf[r] = first = r;
            }

            leader[r] = first;
            sizes[first]++;
        }

        for (var r = 0; r < batch.Count; r++)
        {
            sizes[r] = sizes[leader[r]];
        }

        return sizes;
    }

    private static double Bound(FieldValidationRule rule, string key, double absent) =>
        rule.Parameters.TryGetValue(key, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : absent;

    private static ExpressionRule? Expression(
        string view, Field field, FieldValidationRule rule, int cell, Dictionary<string, FeatureType> types, Dictionary<string, int> cellOf, bool skipUnavailable)
    {
        var text = rule.Parameters.TryGetValue("expr", out var expr) && expr.ValueKind == JsonValueKind.String ? expr.GetString()! : "";
        BoundExpression bound;
        try
        {
            bound = BoundExpression.BindCondition(text, types);
        }
        catch (ExpressionException e)
        {
            if (skipUnavailable)
            {
                return null;
            }

            throw Invalid(view, field, rule, $"its expression is wrong at column {e.Column}: {e.Problem}");
        }

        var map = new int[bound.Columns.Count];
        for (var o = 0; o < map.Length; o++)
        {
            map[o] = cellOf[bound.Columns[o].Name];
        }

        return new ExpressionRule(field.Name, rule, cell, ExpressionCompiler.CompileCondition(bound), map);
    }

    private static RowRule Build(string view, Field field, FieldValidationRule rule, Func<RowRule> build)
    {
        try
        {
            return build();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw Invalid(view, field, rule, e.Message);
        }
    }

    private static GranaryException Invalid(string view, Field field, FieldValidationRule rule, string problem) =>
        new(ErrorCodes.InvalidDefinition, $"Rule '{rule.Rule}' of field '{field.Name}' of feature view '{view}' cannot be applied: {problem}. Correct it and apply the definitions again.");
}

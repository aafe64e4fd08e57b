using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.Quality.Validation;

/// <summary>
/// A rule judged one row at a time, built once from its declaration: the cell it reads and what it checks. A rule
/// whose answer is unknown for a row (a null for every rule but <c>not_null</c>) passes it, as a SQL CHECK does.
/// </summary>
internal abstract class RowRule(string feature, FieldValidationRule declaration, int cell)
{
    public string Feature { get; } = feature;

    public string Kind => Declaration.Rule;

    public FieldValidationRule Declaration { get; } = declaration;

    public ValidationSeverity Severity => Declaration.Severity;

    /// <summary>The cell of the row the rule is declared on (its example value).</summary>
    public int Cell { get; } = cell;

    /// <param name="cells">The batch's cells.</param>
    /// <param name="first">The row's first cell.</param>
    /// <param name="scratch">This rule's expression row for the current batch; null for rules that read one cell.</param>
    public abstract bool Passes(FeatureValue[] cells, int first, CellExpressionRow? scratch);
}

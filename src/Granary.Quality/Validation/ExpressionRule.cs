using Granary.Core.Model;
using Granary.Core.Values;
using Granary.Quality.Expressions;

namespace Granary.Quality.Validation;

/// <summary>
/// <c>expression</c>: the condition, compiled once to a delegate, is not false for the row. Null (unknown) passes, as
/// in a SQL CHECK.
/// </summary>
internal sealed class ExpressionRule(string feature, FieldValidationRule declaration, int cell, Func<IExpressionRow, bool?> condition, int[] cellOf)
    : RowRule(feature, declaration, cell)
{
    /// <summary>A row reader for one batch: the validator makes one per batch, so concurrent batches share nothing mutable.</summary>
    public CellExpressionRow NewRow() => new(cellOf);

    public override bool Passes(FeatureValue[] cells, int first, CellExpressionRow? scratch) =>
        condition(scratch!.At(cells, first)) != false;
}

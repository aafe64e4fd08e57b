using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.Quality.Validation;

/// <summary><c>not_null</c>: the value is present.</summary>
internal sealed class NotNullRule(string feature, FieldValidationRule declaration, int cell) : RowRule(feature, declaration, cell)
{
    public override bool Passes(FeatureValue[] cells, int first, CellExpressionRow? scratch) => !cells[first + Cell].IsNull;
}

using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.Quality.Validation;

/// <summary><c>range</c>: a number between <c>min</c> and <c>max</c>, both inclusive (either may be left out). NaN is in no range.</summary>
internal sealed class RangeRule(string feature, FieldValidationRule declaration, int cell, double min, double max) : RowRule(feature, declaration, cell)
{
    public override bool Passes(FeatureValue[] cells, int first, CellExpressionRow? scratch)
    {
        ref readonly var value = ref cells[first + Cell];
        if (value.IsNull)
        {
            return true;
        }

        // Integers compare exactly against the bounds as doubles compare them in SQL: widened to float64.
        double x = value.Type.Kind switch
        {
            ScalarKind.Int32 => value.AsInt32(),
            ScalarKind.Int64 => value.AsInt64(),
            ScalarKind.Float32 => value.AsFloat32(),
            _ => value.AsFloat64(),
        };
        return x >= min && x <= max;
    }
}

using Granary.Core.Model;
using Granary.Core.Values;
using Granary.Quality.Expressions;

namespace Granary.Quality.Validation;

/// <summary>
/// A row of typed cells as a compiled expression reads it: the expression's ordinals map to cells of the row, which
/// is moved along the batch (<see cref="At"/>) rather than allocated per row. One per rule and thread.
/// </summary>
internal sealed class CellExpressionRow(int[] cellOf) : IExpressionRow
{
    private FeatureValue[] _cells = [];
    private int _first;

    public CellExpressionRow At(FeatureValue[] cells, int first)
    {
        _cells = cells;
        _first = first;
        return this;
    }

    private ref readonly FeatureValue Cell(int ordinal) => ref _cells[_first + cellOf[ordinal]];

    public bool IsNull(int ordinal) => Cell(ordinal).IsNull;

    public long GetInt64(int ordinal)
    {
        ref readonly var cell = ref Cell(ordinal);
        return cell.Type.Kind == ScalarKind.Int32 ? cell.AsInt32() : cell.AsInt64();
    }

    public double GetDouble(int ordinal)
    {
        ref readonly var cell = ref Cell(ordinal);
        return cell.Type.Kind switch
        {
            ScalarKind.Float32 => cell.AsFloat32(),
            ScalarKind.Int32 => cell.AsInt32(),
            ScalarKind.Int64 => cell.AsInt64(),
            _ => cell.AsFloat64(),
        };
    }

    public string GetString(int ordinal) => Cell(ordinal).AsString();

    public bool GetBoolean(int ordinal) => Cell(ordinal).AsBool();
}

using Granary.Core.Model;
using Granary.Core.Values;
using Granary.Quality.Expressions;

namespace Granary.OnDemand;

/// <summary>
/// One row's inputs as a compiled expression reads them: <see cref="Map"/> turns the expression's column ordinal into
/// the view's input index, so one row serves every feature of the view without copying.
/// </summary>
internal sealed class OnDemandRow(FeatureValue[] cells) : IExpressionRow
{
    public FeatureValue[] Cells { get; } = cells;

    public int[] Map { get; set; } = [];

    public bool IsNull(int ordinal) => Cells[Map[ordinal]].IsNull;

    public long GetInt64(int ordinal)
    {
        var value = Cells[Map[ordinal]];
        return value.Type.Kind == ScalarKind.Int32 ? value.AsInt32() : value.AsInt64();
    }

    public double GetDouble(int ordinal)
    {
        var value = Cells[Map[ordinal]];
        return value.Type.Kind switch
        {
            ScalarKind.Float32 => value.AsFloat32(),
            ScalarKind.Int32 => value.AsInt32(),
            ScalarKind.Int64 => value.AsInt64(),
            _ => value.AsFloat64(),
        };
    }

    public string GetString(int ordinal) => Cells[Map[ordinal]].AsString();

    public bool GetBoolean(int ordinal) => Cells[Map[ordinal]].AsBool();

    public Array GetList(int ordinal) => Cells[Map[ordinal]].AsList();

    public long GetTimestampMicros(int ordinal) => Cells[Map[ordinal]].AsTimestampMicros();
}

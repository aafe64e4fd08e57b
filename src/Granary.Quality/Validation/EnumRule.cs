using System.Collections.Frozen;
using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.Quality.Validation;

/// <summary><c>enum</c>: one of the listed values; strings compare exactly (case and all), integers by value.</summary>
internal sealed class EnumRule : RowRule
{
    private readonly FrozenSet<string>? _strings;
    private readonly FrozenSet<long>? _integers;

    public EnumRule(string feature, FieldValidationRule declaration, int cell, FeatureType type)
        : base(feature, declaration, cell)
    {
        var values = declaration.Parameters["values"];
        if (type.Kind == ScalarKind.String)
        {
            var strings = new List<string>();
            foreach (var value in values.EnumerateArray())
            {
                strings.Add(value.GetString() ?? "");
            }

            _strings = strings.ToFrozenSet(StringComparer.Ordinal);
        }
        else
        {
            var integers = new List<long>();
            foreach (var value in values.EnumerateArray())
            {
                integers.Add(value.GetInt64());
            }

            _integers = integers.ToFrozenSet();
        }
    }

    public override bool Passes(FeatureValue[] cells, int first, CellExpressionRow? scratch)
    {
        ref readonly var value = ref cells[first + Cell];
        if (value.IsNull)
        {
            return true;
        }

        return _strings is not null
            ? _strings.Contains(value.AsString())
            : _integers!.Contains(value.Type.Kind == ScalarKind.Int32 ? value.AsInt32() : value.AsInt64());
    }
}

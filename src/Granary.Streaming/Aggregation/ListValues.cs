using Granary.Core.Model;
using Granary.Core.Values;

namespace Granary.Streaming.Aggregation;

/// <summary>Builds a list value from scalars, as the array of the element's CLR type <see cref="FeatureValue.List"/> expects.</summary>
internal static class ListValues
{
    public static FeatureValue Of(FeatureType element, ReadOnlySpan<FeatureValue> items)
    {
        Array array = element.Kind switch
        {
            ScalarKind.Int32 => Map(items, static v => v.AsInt32()),
            ScalarKind.Int64 => Map(items, static v => v.AsInt64()),
            ScalarKind.Float32 => Map(items, static v => v.AsFloat32()),
            ScalarKind.Float64 => Map(items, static v => v.AsFloat64()),
            ScalarKind.Bool => Map(items, static v => v.AsBool()),
            ScalarKind.String => Map(items, static v => v.AsString()),
            ScalarKind.Bytes => Map(items, static v => v.AsBytes()),
            ScalarKind.UnixTimestamp => Map(items, static v => v.AsTimestampMicros()),
            _ => throw new ArgumentOutOfRangeException(nameof(element), element, "Not a scalar type."),
        };
        return FeatureValue.List(element.Kind, array);
    }

    private static T[] Map<T>(ReadOnlySpan<FeatureValue> items, Func<FeatureValue, T> read)
    {
        var array = new T[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            array[i] = read(items[i]);
        }

        return array;
    }
}

using Granary.Core.Model;

namespace Granary.Materialization;

/// <summary>
/// How one column of the engine's rows is read: with the reader's typed getter when the driver's type is the one the
/// feature's type takes as is (no box per cell), or <see cref="Converted"/>, through <c>GetValue</c> and the shared
/// conversion rules, when it must be widened or parsed (an int32 column for an int64 feature, lists, bytes, decimals).
/// </summary>
internal enum CellRead
{
    Converted,
    Int32,
    Int64,
    Float32,
    Float64,
    Bool,
    String,
    Timestamp,
}

internal static class CellReads
{
    /// <summary>The read for a column the driver types as <paramref name="fieldType"/> that holds values of <paramref name="type"/>.</summary>
    public static CellRead For(Type fieldType, FeatureType type)
    {
        if (type.IsList)
        {
            return CellRead.Converted;
        }

        return type.Kind switch
        {
            ScalarKind.Int32 when fieldType == typeof(int) => CellRead.Int32,
            ScalarKind.Int64 when fieldType == typeof(long) => CellRead.Int64,
            ScalarKind.Float32 when fieldType == typeof(float) => CellRead.Float32,
            ScalarKind.Float64 when fieldType == typeof(double) => CellRead.Float64,
            ScalarKind.Bool when fieldType == typeof(bool) => CellRead.Bool,
            ScalarKind.String when fieldType == typeof(string) => CellRead.String,
            ScalarKind.UnixTimestamp when fieldType == typeof(DateTime) => CellRead.Timestamp,
            _ => CellRead.Converted,
        };
    }
}

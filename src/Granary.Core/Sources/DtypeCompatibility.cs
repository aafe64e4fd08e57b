using Granary.Core.Model;

namespace Granary.Core.Sources;

/// <summary>
/// Which Granary dtype can hold the values of which source column: the table <c>plan</c> checks schemas and join keys
/// against (written out in docs/repository-format.md). The rule is the one C# uses for implicit conversions: a dtype
/// holds a column when every value converts without error, so integers widen (int32 into int64, any integer into a
/// float) but never narrow, and nothing becomes a number, a bool or a timestamp by parsing text.
/// </summary>
internal static class DtypeCompatibility
{
    /// <summary>
    /// Whether <paramref name="dtype"/> holds every value of <paramref name="column"/>. A column whose type is not
    /// recognized, or that holds only nulls, is held by any dtype: nothing is concluded from it.
    /// </summary>
    /// <param name="dtype">The declared dtype.</param>
    /// <param name="column">The column's type.</param>
    /// <param name="typesInferred">
    /// The engine guessed the type from the data (a CSV file): its width says nothing about the values (DuckDB reads
    /// every whole-number CSV column as BIGINT and every fractional one as DOUBLE), so int32 holds a BIGINT column and
    /// float32 a DOUBLE one.
    /// </param>
    public static bool CanHold(FeatureType dtype, ColumnType column, bool typesInferred = false)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (column.Kind is ColumnKind.Unrecognized or ColumnKind.Null)
        {
            return true;
        }

        var guessedWidth = (dtype.Kind == ScalarKind.Int32 && column.Kind is ColumnKind.UInt32 or ColumnKind.Int64)
            || (dtype.Kind == ScalarKind.Float32 && column.Kind == ColumnKind.Float64);
        if (typesInferred && guessedWidth && dtype.IsList == column.IsList)
        {
            return true;
        }

        return dtype.IsList == column.IsList && ScalarHolds(dtype.Kind, column);
    }

    /// <summary>The dtype that holds <paramref name="column"/> exactly, for suggestions; null when none does.</summary>
    public static FeatureType? Natural(ColumnType column)
    {
        ArgumentNullException.ThrowIfNull(column);
        ScalarKind? kind = column.Kind switch
        {
            ColumnKind.Bool => ScalarKind.Bool,
            ColumnKind.Int16 or ColumnKind.Int32 => ScalarKind.Int32,
            ColumnKind.UInt32 or ColumnKind.Int64 => ScalarKind.Int64,
            ColumnKind.Decimal when IsWholeNumber(column, 18) => ScalarKind.Int64,
            ColumnKind.Float32 => ScalarKind.Float32,
            ColumnKind.Float64 or ColumnKind.Decimal => ScalarKind.Float64,
            ColumnKind.String => ScalarKind.String,
            ColumnKind.Bytes => ScalarKind.Bytes,
            ColumnKind.Date or ColumnKind.Timestamp => ScalarKind.UnixTimestamp,
            _ => null,
        };
        return kind is { } k ? new FeatureType(k, column.IsList) : null;
    }

    /// <summary>What the column holds, in words, for messages (<c>strings</c>, <c>64-bit integers</c>).</summary>
    public static string Describe(ColumnType column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var what = column.Kind switch
        {
            ColumnKind.Bool => "booleans",
            ColumnKind.Int16 => "small integers",
            ColumnKind.Int32 => "32-bit integers",
            ColumnKind.UInt32 => "unsigned 32-bit integers",
            ColumnKind.Int64 => "64-bit integers",
            ColumnKind.WiderThanInt64 => "integers wider than 64 bits",
            ColumnKind.Float32 => "32-bit floats",
            ColumnKind.Float64 => "64-bit floats",
            ColumnKind.Decimal => IsWholeNumber(column, int.MaxValue) ? "whole decimal numbers" : "decimal numbers with fractions",
            ColumnKind.String => "strings",
            ColumnKind.Bytes => "bytes",
            ColumnKind.Date => "dates",
            ColumnKind.Timestamp => "timestamps",
            ColumnKind.Unsupported => "values no Granary dtype holds",
            _ => "values of an unknown type",
        };
        return column.IsList ? "lists of " + what : what;
    }

    private static bool ScalarHolds(ScalarKind dtype, ColumnType column) => dtype switch
    {
        ScalarKind.Int32 => column.Kind is ColumnKind.Int16 or ColumnKind.Int32 || (column.Kind == ColumnKind.Decimal && IsWholeNumber(column, 9)),
        ScalarKind.Int64 => column.Kind is ColumnKind.Int16 or ColumnKind.Int32 or ColumnKind.UInt32 or ColumnKind.Int64
            || (column.Kind == ColumnKind.Decimal && IsWholeNumber(column, 18)),

        // As in C#, every integer converts to a float implicitly (rounding the largest): a CSV column of counts that
        // happen to be whole is read as BIGINT, and a float feature over it is what the user meant.
        ScalarKind.Float32 => IsInteger(column.Kind) || column.Kind is ColumnKind.Float32 or ColumnKind.Decimal,
        ScalarKind.Float64 => IsInteger(column.Kind) || column.Kind is ColumnKind.Float32 or ColumnKind.Float64 or ColumnKind.Decimal,

        // A string holds any number or bool as its invariant text; dates and timestamps have no single text form.
        ScalarKind.String => IsInteger(column.Kind) || column.Kind is ColumnKind.String or ColumnKind.Bool
            or ColumnKind.Float32 or ColumnKind.Float64 or ColumnKind.Decimal,
        ScalarKind.Bool => column.Kind == ColumnKind.Bool,
        ScalarKind.Bytes => column.Kind == ColumnKind.Bytes,
        ScalarKind.UnixTimestamp => column.Kind is ColumnKind.Timestamp or ColumnKind.Date,
        _ => false,
    };

    private static bool IsInteger(ColumnKind kind) =>
        kind is ColumnKind.Int16 or ColumnKind.Int32 or ColumnKind.UInt32 or ColumnKind.Int64 or ColumnKind.WiderThanInt64;

    // DECIMAL(p, 0) with at most maxDigits digits; an unconstrained numeric may hold fractions.
    private static bool IsWholeNumber(ColumnType column, int maxDigits) =>
        column.DecimalScale == 0 && column.DecimalPrecision is { } p && p <= maxDigits;
}

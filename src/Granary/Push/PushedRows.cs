using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Online;
using Granary.OnlineServing;
using Granary.Core.Time;
using Granary.Core.Values;
using Granary.Quality.Validation;

namespace Granary.Push;

/// <summary>
/// Checks pushed columns and turns them into online records, all before anything is written: a push is all or nothing,
/// and each mistake names its column and row (<c>df.user_id[3]</c>).
/// </summary>
internal static class PushedRows
{
    /// <summary>The row count; every column must have it.</summary>
    public static int CountRows(IReadOnlyDictionary<string, IReadOnlyList<object?>> columns)
    {
        if (columns.Count == 0)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, "df: no columns; give each column as a list of values.");
        }

        var rows = -1;
        string? first = null;
        foreach (var (name, values) in columns)
        {
            if (values is null)
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, $"df.{name}: expected a list of values.");
            }

            if (rows >= 0 && values.Count != rows)
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, $"df: lists of unequal length: '{first}' has {rows} values, '{name}' has {values.Count}.");
            }

            rows = values.Count;
            first ??= name;
        }

        return rows;
    }

    /// <summary>The online records of <paramref name="plan"/> for every row, converted and checked.</summary>
    public static List<OnlineWrite> ToWrites(OnlineViewPlan plan, BatchSource source, IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, int rows, long nowMicros)
    {
        var timestamps = Column(columns, source.TimestampField, plan);
        var created = source.CreatedTimestampColumn is { } c && columns.TryGetValue(c, out var given) ? given : null;
        var keyColumns = new IReadOnlyList<object?>[plan.JoinKeys.Count];
        for (var k = 0; k < keyColumns.Length; k++)
        {
            keyColumns[k] = Column(columns, plan.JoinKeys[k], plan);
        }

        var featureColumns = new IReadOnlyList<object?>[plan.Schema.Count];
        for (var f = 0; f < featureColumns.Length; f++)
        {
            featureColumns[f] = Column(columns, plan.Schema.Features[f].Name, plan);
        }

        var writes = new List<OnlineWrite>(rows);
        var parts = new FeatureValue[keyColumns.Length];
        var values = new FeatureValue[featureColumns.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var k = 0; k < parts.Length; k++)
            {
                parts[k] = Convert(() => EntityKey.Part(keyColumns[k][r], plan.KeyTypes[k]), plan.JoinKeys[k], r, plan.KeyTypes[k]);
            }

            var eventMicros = Micros(timestamps[r], source.TimestampField, r);
            var createdMicros = created is null ? nowMicros : Micros(created[r], source.CreatedTimestampColumn!, r);
            for (var f = 0; f < values.Length; f++)
            {
                var field = plan.Schema.Features[f];
                values[f] = Convert(() => ClrValues.ToFeatureValue(featureColumns[f][r], field.Type), field.Name, r, field.Type);
            }

            writes.Add(new OnlineWrite(plan.Namespace, EntityKey.Create(parts), OnlineRecord.Encode(plan.Schema, eventMicros, createdMicros, values)));
        }

        return writes;
    }

    /// <summary>
    /// Checks the values of <paramref name="plan"/>'s columns that the push gives, as <see cref="ToWrites"/> would
    /// convert them: rows logged offline are refused for the same values as rows written online. A column the push
    /// lacks is logged as null, as before.
    /// </summary>
    public static void CheckOffline(OnlineViewPlan plan, BatchSource source, IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, int rows)
    {
        if (columns.TryGetValue(source.TimestampField, out var timestamps))
        {
            for (var r = 0; r < rows; r++)
            {
                Micros(timestamps[r], source.TimestampField, r);
            }
        }

        for (var k = 0; k < plan.JoinKeys.Count; k++)
        {
            if (columns.TryGetValue(plan.JoinKeys[k], out var keys))
            {
                for (var r = 0; r < rows; r++)
                {
                    var type = plan.KeyTypes[k];
                    Convert(() => keys[r] is null ? FeatureValue.Null(type) : EntityKey.Part(keys[r], type), plan.JoinKeys[k], r, type);
                }
            }
        }

        foreach (var field in plan.Schema.Features)
        {
            if (columns.TryGetValue(field.Name, out var values))
            {
                for (var r = 0; r < rows; r++)
                {
                    Convert(() => ClrValues.ToFeatureValue(values[r], field.Type), field.Name, r, field.Type);
                }
            }
        }
    }

    /// <summary>
    /// The rows as <paramref name="plan"/>'s validator reads them (<see cref="OnlineViewPlan.Validator"/>): per row the
    /// join keys then the features, converted as <see cref="ToWrites"/> converts them, and each row's event time. A
    /// column the push lacks reads as null (and a missing event time as 0), as a push logged offline only keeps it.
    /// </summary>
    public static ValidationBatch ToCells(OnlineViewPlan plan, BatchSource source, IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, int rows)
    {
        var keys = plan.JoinKeys.Count;
        var stride = keys + plan.Schema.Count;
        var cells = new FeatureValue[rows * stride];
        var times = new long[rows];
        if (columns.TryGetValue(source.TimestampField, out var timestamps))
        {
            for (var r = 0; r < rows; r++)
            {
                times[r] = Micros(timestamps[r], source.TimestampField, r);
            }
        }

        for (var c = 0; c < stride; c++)
        {
            var (name, type) = c < keys ? (plan.JoinKeys[c], plan.KeyTypes[c]) : (plan.Schema.Features[c - keys].Name, plan.Schema.Features[c - keys].Type);
            if (!columns.TryGetValue(name, out var values))
            {
                for (var r = 0; r < rows; r++)
                {
                    cells[r * stride + c] = FeatureValue.Null(type);
                }

                continue;
            }

            for (var r = 0; r < rows; r++)
            {
                var value = values[r];
                cells[r * stride + c] = c < keys
                    ? Convert(() => value is null ? FeatureValue.Null(type) : EntityKey.Part(value, type), name, r, type)
                    : Convert(() => ClrValues.ToFeatureValue(value, type), name, r, type);
            }
        }

        return new ValidationBatch(cells, stride, rows, times);
    }

    private static IReadOnlyList<object?> Column(IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, string name, OnlineViewPlan plan) =>
        columns.TryGetValue(name, out var values)
            ? values
            : throw new GranaryException(ErrorCodes.InvalidArgument, $"df: missing column '{name}', needed by feature view '{plan.Name}'.");

    public static long Micros(object? value, string column, int row)
    {
        var converted = Convert(() => ClrValues.ToFeatureValue(value, FeatureType.UnixTimestamp), column, row, FeatureType.UnixTimestamp);
        return converted.IsNull
            ? throw new GranaryException(ErrorCodes.InvalidArgument, $"df.{column}[{row}]: a timestamp is required.")
            : converted.AsTimestampMicros();
    }

    public static FeatureValue Convert(Func<FeatureValue> convert, string column, int row, FeatureType type)
    {
        try
        {
            return convert();
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException or GranaryException)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"df.{column}[{row}]: not a valid {type} ({e.Message}).", e);
        }
    }
}

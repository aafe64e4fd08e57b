using System.Globalization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Online;
using Granary.Core.Values;

namespace Granary.OnlineServing;

/// <summary>
/// The per-request half of an online read: the entity columns checked (a list per join key, all of one length) and
/// turned into the store keys of every (view, entity), each converted to its entity's key type once.
/// </summary>
internal static class OnlineEntities
{
    /// <summary>
    /// The request's lists in <paramref name="joinKeys"/> order (the request's own), checked before anything is
    /// resolved, so a request with ragged lists is told so whatever else is wrong with it: each join key has a list,
    /// all of one length.
    /// </summary>
    public static (IReadOnlyList<object?>[] Lists, int Rows) Columns(string[] joinKeys, IReadOnlyDictionary<string, IReadOnlyList<object?>> entities)
    {
        var lists = new IReadOnlyList<object?>[joinKeys.Length];
        var rows = 0;
        for (var j = 0; j < lists.Length; j++)
        {
            var name = joinKeys[j];
            var values = entities[name] ?? throw new GranaryException(ErrorCodes.InvalidArgument, $"entities.{name}: expected a list of values.");
            if (j > 0 && values.Count != rows)
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, $"entities: lists of unequal length: '{joinKeys[0]}' has {rows} values, '{name}' has {values.Count}.");
            }

            lists[j] = values;
            rows = values.Count;
        }

        return (lists, rows);
    }

    /// <summary>
    /// The store key of every (view, entity), view after view; writes the join key columns of <paramref name="response"/>
    /// on the way (the values as converted to key types, PRESENT).
    /// </summary>
    public static OnlineKey[] Keys(OnlineQuery query, (IReadOnlyList<object?>[] Lists, int Rows) entities, OnlineFeaturesResponse response)
    {
        var (lists, rows) = entities;
        var keys = new OnlineKey[query.Views.Length * rows];
        for (var v = 0; v < query.Views.Length; v++)
        {
            var read = query.Views[v];
            var name = read.Plan.Namespace;
            if (read.SharesKeysWith >= 0)
            {
                var from = read.SharesKeysWith * rows;
                for (var r = 0; r < rows; r++)
                {
                    keys[(v * rows) + r] = new OnlineKey(name, keys[from + r].Entity);
                }

                continue;
            }

            var parts = new FeatureValue[read.KeyColumns.Length];
            for (var r = 0; r < rows; r++)
            {
                for (var k = 0; k < parts.Length; k++)
                {
                    var column = read.KeyColumns[k];
                    parts[k] = Part(lists[column][r], read.Plan.KeyTypes[k], query.JoinKeys[column], r);
                    if (query.KeySources[column] == (v, k) && query.OutputColumns[column] >= 0)
                    {
                        response.Set(query.OutputColumns[column], r, parts[k], FeatureStatus.Present, 0);
                    }
                }

                keys[(v * rows) + r] = new OnlineKey(name, EntityKey.Create(parts));
            }
        }

        // A join key no requested view uses is echoed as given, typed by its JSON (or wire) value as Feast types it.
        for (var j = 0; j < query.JoinKeys.Length; j++)
        {
            if (query.KeySources[j].View < 0 && query.OutputColumns[j] >= 0)
            {
                for (var r = 0; r < rows; r++)
                {
                    response.Set(query.OutputColumns[j], r, Echo(lists[j][r]), FeatureStatus.Present, 0);
                }
            }
        }

        return keys;
    }

    private static FeatureValue Echo(object? value) => value switch
    {
        null => FeatureValue.Null(FeatureType.String),
        long l => FeatureValue.Int64(l),
        int i => FeatureValue.Int32(i),
        double d => FeatureValue.Float64(d),
        float f => FeatureValue.Float32(f),
        decimal m when decimal.Truncate(m) == m && m is >= long.MinValue and <= long.MaxValue => FeatureValue.Int64((long)m),
        decimal m => FeatureValue.Float64((double)m),
        bool b => FeatureValue.Bool(b),
        byte[] bytes => FeatureValue.Bytes(bytes),
        string text => FeatureValue.String(text),
        _ => FeatureValue.String(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    private static FeatureValue Part(object? value, FeatureType type, string joinKey, int row)
    {
        try
        {
            return EntityKey.Part(value, type);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"entities.{joinKey}[{row}]: {(value is null ? "null" : $"'{value}'")} is not a valid {type} key ({e.Message}).");
        }
    }
}

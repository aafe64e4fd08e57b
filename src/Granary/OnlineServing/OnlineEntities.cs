using System.Globalization;
using Granary.Errors;
using Granary.Model;
using Granary.Online;
using Granary.Values;

namespace Granary.OnlineServing;

/// <summary>
/// The per-request half of an online read: the entity columns checked (a list per join key, all of one length) and
/// turned into the store keys of every (view, entity), each converted to its entity's key type once.
/// </summary>
internal static class OnlineEntities
{
    /// <summary>
    /// Checks the entity columns before anything is resolved, so a request with ragged lists is told so whatever else
    /// is wrong with it: each join key has a list, all of one length. Returns that length.
    /// </summary>
    public static int RowCount(IReadOnlyDictionary<string, IReadOnlyList<object?>> entities)
    {
        var rows = -1;
        string? first = null;
        if (entities is Dictionary<string, IReadOnlyList<object?>> dictionary)
        {
            // The parsers' own type: its struct enumerator, no allocation per request.
            foreach (var (name, values) in dictionary)
            {
                rows = Check(name, values, rows, ref first);
            }
        }
        else
        {
            foreach (var (name, values) in entities)
            {
                rows = Check(name, values, rows, ref first);
            }
        }

        return Math.Max(rows, 0);
    }

    /// <summary>The request's lists in <see cref="OnlineQuery.JoinKeys"/> order (checked by <see cref="RowCount"/>).</summary>
    public static (IReadOnlyList<object?>[] Lists, int Rows) Columns(OnlineQuery query, IReadOnlyDictionary<string, IReadOnlyList<object?>> entities, int rows)
    {
        var lists = new IReadOnlyList<object?>[query.JoinKeys.Length];
        for (var j = 0; j < lists.Length; j++)
        {
            lists[j] = entities[query.JoinKeys[j]];
        }

        return (lists, rows);
    }

    private static int Check(string name, IReadOnlyList<object?>? values, int rows, ref string? first)
    {
        if (values is null)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"entities.{name}: expected a list of values.");
        }

        if (rows >= 0 && values.Count != rows)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"entities: lists of unequal length: '{first}' has {rows} values, '{name}' has {values.Count}.");
        }

        first ??= name;
        return values.Count;
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
            var name = read.Plan.Name;
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
                    if (query.KeySources[column] == (v, k))
                    {
                        response.Set(column, r, parts[k], FeatureStatus.Present, 0);
                    }
                }

                keys[(v * rows) + r] = new OnlineKey(name, EntityKey.Create(parts));
            }
        }

        // A join key no requested view uses is echoed as text.
        for (var j = 0; j < query.JoinKeys.Length; j++)
        {
            if (query.KeySources[j].View < 0)
            {
                for (var r = 0; r < rows; r++)
                {
                    var value = lists[j][r];
                    response.Set(j, r, value is null ? FeatureValue.Null(FeatureType.String) : FeatureValue.String(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""), FeatureStatus.Present, 0);
                }
            }
        }

        return keys;
    }

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

using System.Globalization;
using System.Text;
using Granary.Client.Batching;

namespace Granary.Client.Caching;

/// <summary>
/// The client's optional cache of hot keys: one entry per (feature set, entity), served for the options' TTL, the
/// least recently used forgotten first. Only rows whose every feature is <see cref="FeatureStatus.Present"/> or
/// <see cref="FeatureStatus.NullValue"/> are kept: <see cref="FeatureStatus.NotFound"/> and
/// <see cref="FeatureStatus.OutsideMaxAge"/> say the store has nothing fresh for the key, the answer most likely to
/// change at the next push or materialization, and caching them would let a stream of unknown keys push out the
/// hot ones. Failures are never cached.
/// </summary>
internal sealed class OnlineFeaturesCache
{
    private readonly LruCache<string, CachedRow> _rows;

    public OnlineFeaturesCache(int size, TimeSpan ttl, TimeProvider time)
    {
        _rows = new LruCache<string, CachedRow>(size, ttl, time);
    }

    public int Count => _rows.Count;

    /// <summary>
    /// The answer from cached rows where there are some, the rest from <paramref name="fetch"/> (one call, for the
    /// missing entities only, in their order); the fetched rows that may be cached are stored.
    /// </summary>
    public async Task<OnlineFeatures> GetAsync(
        OnlineFeaturesRequest request, Func<OnlineFeaturesRequest, CancellationToken, Task<OnlineFeatures>> fetch, CancellationToken cancellationToken)
    {
        var count = request.EntityCount;
        var keys = Keys(request);
        var hits = new CachedRow?[count];
        var misses = new int[count];
        var missCount = 0;
        for (var i = 0; i < count; i++)
        {
            if (!_rows.TryGet(keys[i], out var row))
            {
                misses[missCount++] = i;
            }
            else
            {
                hits[i] = row;
            }
        }

        if (missCount == count)
        {
            var all = await fetch(request, cancellationToken).ConfigureAwait(false);
            Store(all, keys, misses, missCount);
            return all;
        }

        var features = hits[missCount == 0 ? 0 : FirstHit(hits)]!.Features;
        OnlineFeatures? fresh = null;
        if (missCount > 0)
        {
            fresh = await fetch(request.Select(misses, missCount), cancellationToken).ConfigureAwait(false);
            Store(fresh, keys, misses, missCount);
            features = fresh.FeatureNames;
        }

        // A feature service whose features changed since a row was cached: the cached rows no longer fit.
        foreach (var row in hits)
        {
            if (row is not null && !OnlineFeaturesJoin.SameFeatures(row.Features, features))
            {
                var all = await fetch(request, cancellationToken).ConfigureAwait(false);
                Store(all, keys, Identity(count), count);
                return all;
            }
        }

        return Assemble(features, hits, fresh, count);
    }

    /// <summary>One string per entity: the feature set, then each join key (by name, ordinal) with its typed value.</summary>
    internal static string[] Keys(OnlineFeaturesRequest request)
    {
        var columns = request.EntityColumns;
        var order = new int[columns.Count];
        for (var c = 0; c < order.Length; c++)
        {
            order[c] = c;
        }

        Array.Sort(order, (a, b) => string.CompareOrdinal(columns[a].Name, columns[b].Name));
        var text = new StringBuilder();
        if (request.FeatureService is { } service)
        {
            Append(text.Append('s'), service);
        }
        else
        {
            foreach (var feature in request.FeatureList)
            {
                Append(text.Append('f'), feature);
            }
        }

        var prefix = text.Length;
        var keys = new string[request.EntityCount];
        for (var i = 0; i < keys.Length; i++)
        {
            text.Length = prefix;
            foreach (var c in order)
            {
                Append(text.Append('k'), columns[c].Name);
                AppendValue(text, columns[c].Values[i]);
            }

            keys[i] = text.ToString();
        }

        return keys;
    }

    private void Store(OnlineFeatures answer, string[] keys, int[] entities, int count)
    {
        var columns = answer.Columns;
        for (var e = 0; e < count && e < answer.EntityCount; e++)
        {
            var cacheable = true;
            foreach (var column in columns)
            {
                if (column.Statuses[e] is not (FeatureStatus.Present or FeatureStatus.NullValue))
                {
                    cacheable = false;
                    break;
                }
            }

            if (!cacheable)
            {
                continue;
            }

            var values = new AnsweredValue[columns.Length];
            var statuses = new FeatureStatus[columns.Length];
            var times = new DateTimeOffset?[columns.Length];
            for (var f = 0; f < columns.Length; f++)
            {
                values[f] = columns[f].Values[e];
                statuses[f] = columns[f].Statuses[e];
                times[f] = columns[f].EventTimestamps[e];
            }

            _rows.Set(keys[entities[e]], new CachedRow(answer.FeatureNames, values, statuses, times));
        }
    }

    private static OnlineFeatures Assemble(string[] features, CachedRow?[] hits, OnlineFeatures? fresh, int count)
    {
        var columns = new FeatureColumn[features.Length];
        for (var f = 0; f < features.Length; f++)
        {
            var values = new AnsweredValue[count];
            var statuses = new FeatureStatus[count];
            var times = new DateTimeOffset?[count];
            var next = 0;
            for (var i = 0; i < count; i++)
            {
                if (hits[i] is { } row)
                {
                    values[i] = row.Values[f];
                    statuses[i] = row.Statuses[f];
                    times[i] = row.EventTimestamps[f];
                }
                else
                {
                    var column = fresh!.Columns[f];
                    values[i] = column.Values[next];
                    statuses[i] = column.Statuses[next];
                    times[i] = column.EventTimestamps[next];
                    next++;
                }
            }

            columns[f] = new FeatureColumn(values, statuses, times);
        }

        return new OnlineFeatures(features, columns, count);
    }

    private static int FirstHit(CachedRow?[] hits)
    {
        for (var i = 0; i < hits.Length; i++)
        {
            if (hits[i] is not null)
            {
                return i;
            }
        }

        return 0;
    }

    private static int[] Identity(int count)
    {
        var indices = new int[count];
        for (var i = 0; i < count; i++)
        {
            indices[i] = i;
        }

        return indices;
    }

    // Length-prefixed, so that no text can spell another key's boundary.
    private static void Append(StringBuilder text, string value) =>
        text.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);

    // Integers of every width are one type: the server reads 7 and 7L as the same entity.
    private static void AppendValue(StringBuilder text, object? value)
    {
        switch (value)
        {
            case null: text.Append('n'); break;
            case string s: Append(text.Append('s'), s); break;
            case long or int or short or sbyte or byte or uint or ushort:
                Append(text.Append('i'), Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
                break;
            case bool b: text.Append(b ? "bt" : "bf"); break;
            case byte[] bytes: Append(text.Append('y'), Convert.ToBase64String(bytes)); break;
            case double d: Append(text.Append('d'), d.ToString("R", CultureInfo.InvariantCulture)); break;
            case float f: Append(text.Append('d'), ((double)f).ToString("R", CultureInfo.InvariantCulture)); break;
            case IFormattable formattable: Append(text.Append('o').Append(value.GetType().Name), formattable.ToString(null, CultureInfo.InvariantCulture)); break;
            default: Append(text.Append('o').Append(value.GetType().Name), value.ToString() ?? ""); break;
        }
    }
}

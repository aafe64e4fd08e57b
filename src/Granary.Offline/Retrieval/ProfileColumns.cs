using System.Collections;
using System.Data.Common;
using System.Globalization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Quality.Profiles;

namespace Granary.Offline.Retrieval;

/// <summary>What both engines' profilers share: the features to profile, and reading their aggregates back.</summary>
internal static class ProfileColumns
{
    /// <summary>One <see cref="FeatureAggregates"/> per requested feature, typed by the view's schema.</summary>
    public static FeatureAggregates[] For(ProfileRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var view = request.View;
        var features = new FeatureAggregates[view.Features.Count];
        for (var i = 0; i < features.Length; i++)
        {
            var name = view.Features[i];
            var field = view.View.Schema.FirstOrDefault(f => f.Name == name)
                ?? throw new GranaryException(ErrorCodes.UnknownReference, $"Feature view '{view.View.Name}' has no feature '{name}' to profile.");
            features[i] = new FeatureAggregates(name, field.Type);
        }

        return features;
    }

    /// <summary>
    /// Reads the first pass's row: the row count, then per feature its count of values and distinct values and, for a
    /// numeric feature, mean, standard deviation, minimum, maximum and the quantiles at <see cref="ProfileLevels.Levels"/>.
    /// </summary>
    public static void ReadFirstPass(DbDataReader reader, FeatureAggregates[] features)
    {
        var rows = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
        var column = 1;
        foreach (var feature in features)
        {
            feature.Count = rows;
            feature.NonNull = Convert.ToInt64(reader.GetValue(column++), CultureInfo.InvariantCulture);
            feature.Distinct = Convert.ToInt64(reader.GetValue(column++), CultureInfo.InvariantCulture);
            if (feature.Kind != ProfileKind.Numeric)
            {
                continue;
            }

            feature.Mean = Double(reader, column++);
            feature.StdDev = Double(reader, column++);
            feature.Min = Double(reader, column++);
            feature.Max = Double(reader, column++);
            feature.Quantiles = reader.IsDBNull(column) ? null : Doubles(reader.GetValue(column));
            column++;
        }
    }

    public static double? Double(DbDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : Convert.ToDouble(reader.GetValue(column), CultureInfo.InvariantCulture);

    /// <summary>The elements of a list or array value (DuckDB's LIST, PostgreSQL's array) as doubles.</summary>
    public static double[] Doubles(object value)
    {
        var list = (IEnumerable)value;
        var result = new List<double>();
        foreach (var item in list)
        {
            result.Add(Convert.ToDouble(item, CultureInfo.InvariantCulture));
        }

        return [.. result];
    }

    public static long[] Longs(object value)
    {
        var result = new List<long>();
        foreach (var item in (IEnumerable)value)
        {
            result.Add(Convert.ToInt64(item, CultureInfo.InvariantCulture));
        }

        return [.. result];
    }

    /// <summary>Bin counts laid out by index from the (bin, count) pairs an engine returns for the bins that hold values.</summary>
    public static long[] BinCounts(HistogramLayout layout, IReadOnlyList<long> bins, IReadOnlyList<long> counts)
    {
        var result = new long[layout.Bins];
        for (var i = 0; i < bins.Count; i++)
        {
            result[bins[i]] += counts[i];
        }

        return result;
    }
}

using System.Globalization;
using System.Text;
using Granary.Offline.Retrieval;
using Granary.Quality.Profiles;

namespace Granary.Offline.DuckDb;

/// <summary>
/// The DuckDB statements of a profile, each one scan of the view's source rows in [start, end): the first computes
/// every count, moment and quantile of every feature in one aggregate; the second, which needs the ranges and counts
/// of the first, the numeric histograms and samples; the third the most frequent values of the categorical features.
/// </summary>
internal sealed class DuckDbProfileQuery(ProfileRequest request, FeatureAggregates[] features)
{
    private readonly DuckDbViewSourceSql _source = new(request.View, request.RepositoryRoot);

    public string FirstPass()
    {
        var select = new StringBuilder("count(*)");
        for (var i = 0; i < features.Length; i++)
        {
            var f = DuckDbViewSourceSql.FeatureAlias(i);
            select.Append(CultureInfo.InvariantCulture, $",\n    count({f}), approx_count_distinct({f})");
            if (features[i].Kind == ProfileKind.Numeric)
            {
                var x = $"CAST({f} AS DOUBLE)";
                select.Append(CultureInfo.InvariantCulture, $", avg({x}), stddev_samp({x}), min({x}), max({x}), quantile_cont({x}, [{ProfileLevels.SqlList}])");
            }
        }

        return Statement(select.ToString());
    }

    /// <summary>Per numeric feature with values: its bins that hold values and their counts, then its shuffled sample; null without one.</summary>
    public string? SecondPass(IReadOnlyList<int> numeric)
    {
        if (numeric.Count == 0)
        {
            return null;
        }

        var inner = new List<string>();
        var outer = new List<string>();
        foreach (var i in numeric)
        {
            var feature = features[i];
            var f = DuckDbViewSourceSql.FeatureAlias(i);
            var x = $"CAST({f} AS DOUBLE)";
            var bin = feature.Layout!.Value.SqlBinExpression(x, Double);

            // histogram() counts the bins in a hash table as it scans; the sample keeps each value with a chance that
            // leaves a small margin over its size, then sorts only those by random() to shuffle them.
            var kept = feature.SampleFraction >= 1 ? "" : $" AND random() < {Double(feature.SampleFraction)}";
            inner.Add($"histogram(CAST({bin} AS BIGINT)) FILTER (WHERE {f} IS NOT NULL) AS h{i}");
            inner.Add($"list({x} ORDER BY random()) FILTER (WHERE {f} IS NOT NULL{kept}) AS s{i}");
            inner.Add(feature.Distinct <= ProfileLimits.ExactDistinctUpTo ? $"count(DISTINCT {f}) AS d{i}" : $"CAST(NULL AS BIGINT) AS d{i}");
            outer.Add($"map_keys(h{i}), map_values(h{i}), s{i}[1:{ProfileLimits.SampleSize}], d{i}");
        }

        return $"SELECT {string.Join(", ", outer)} FROM ({Statement(string.Join(",\n    ", inner))})";
    }

    /// <summary>
    /// Per categorical feature (its index first), its most frequent values and their counts, at most
    /// <see cref="ProfileLimits.BaselineCategories"/> each; null without one.
    /// </summary>
    public string? Categories(IReadOnlyList<int> categorical)
    {
        if (categorical.Count == 0)
        {
            return null;
        }

        var parts = categorical.Select(i =>
        {
            var f = DuckDbViewSourceSql.FeatureAlias(i);
            return $"""
                (SELECT {i} AS feature, CAST({f} AS VARCHAR) AS value, count(*) AS n, count(*) OVER () AS distinct_values FROM src
                WHERE {InRange} AND {f} IS NOT NULL GROUP BY {f} ORDER BY n DESC, value LIMIT {ProfileLimits.BaselineCategories})
                """;
        });
        return $"WITH {_source.SourceCte("src", asofOrder: false)}\n{string.Join("\nUNION ALL\n", parts)}";
    }

    private string InRange =>
        $"{DuckDbViewSourceSql.EventColumn} >= {Timestamp(request.Start)} AND {DuckDbViewSourceSql.EventColumn} < {Timestamp(request.End)}";

    private string Statement(string select) => $"""
        WITH {_source.SourceCte("src", asofOrder: false)}
        SELECT {select}
        FROM src
        WHERE {InRange}
        """;

    private static string Double(double value) => $"CAST('{HistogramLayout.RoundTrip(value)}' AS DOUBLE)";

    private static string Timestamp(DateTimeOffset value) =>
        $"TIMESTAMPTZ {DuckDbSql.Literal(value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00")}";
}

using System.Globalization;
using System.Text;
using Granary.Offline.Retrieval;
using Granary.Quality.Profiles;

namespace Granary.Offline.Postgres;

/// <summary>
/// The PostgreSQL statements of a profile over the view's source rows in [@start, @end): one aggregate for every count,
/// moment and exact percentile (<c>percentile_cont</c>, one sort per numeric feature), then one scan that counts the
/// histogram bins of every numeric feature, one for their samples and one for the most frequent categorical values
/// (the features side by side through <c>LATERAL (VALUES ...)</c>, so each is one scan whatever the number of features).
/// </summary>
internal sealed class PostgresProfileQuery(ProfileRequest request, FeatureAggregates[] features)
{
    public string FirstPass()
    {
        var select = new StringBuilder("count(*)");
        for (var i = 0; i < features.Length; i++)
        {
            var f = Alias(i);
            select.Append(CultureInfo.InvariantCulture, $",\n    count({f}), count(DISTINCT {f})");
            if (features[i].Kind == ProfileKind.Numeric)
            {
                var x = $"CAST({f} AS double precision)";
                select.Append(CultureInfo.InvariantCulture,
                    $", avg({x}), stddev_samp({x}), min({x}), max({x}), percentile_cont(ARRAY[{ProfileLevels.SqlList}]::double precision[]) WITHIN GROUP (ORDER BY {x})");
            }
        }

        return $"SELECT {select} FROM {Rows}";
    }

    /// <summary>(feature, bin, count) for every bin holding values of the numeric features with values; null without one.</summary>
    public string? Bins(IReadOnlyList<int> numeric)
    {
        if (numeric.Count == 0)
        {
            return null;
        }

        var values = numeric.Select(i =>
            // PostgreSQL's least() ignores nulls, so a null value is kept out of the bins explicitly.
            $"({i}, CASE WHEN r.{Alias(i)} IS NOT NULL THEN CAST({features[i].Layout!.Value.SqlBinExpression($"CAST(r.{Alias(i)} AS double precision)", Double)} AS integer) END)");
        return $"""
            SELECT v.feature, v.bin, count(*) FROM {Rows}
            CROSS JOIN LATERAL (VALUES {string.Join(", ", values)}) AS v(feature, bin)
            WHERE v.bin IS NOT NULL
            GROUP BY v.feature, v.bin
            """;
    }

    /// <summary>Per numeric feature with values, its sample, shuffled (see <see cref="FeatureAggregates.SampleFraction"/>).</summary>
    public string Samples(IReadOnlyList<int> numeric)
    {
        var select = numeric.Select(i =>
        {
            var f = Alias(i);
            var kept = features[i].SampleFraction >= 1 ? "" : $" AND random() < {Double(features[i].SampleFraction)}";
            return $"(array_agg(CAST({f} AS double precision) ORDER BY random()) FILTER (WHERE {f} IS NOT NULL{kept}))[1:{ProfileLimits.SampleSize}]";
        });
        return $"SELECT {string.Join(", ", select)} FROM {Rows}";
    }

    /// <summary>
    /// (feature, value, count) for the most frequent values of each categorical feature, at most
    /// <see cref="ProfileLimits.BaselineCategories"/> each (ties by value, bytewise); null without one.
    /// </summary>
    public string? Categories(IReadOnlyList<int> categorical)
    {
        if (categorical.Count == 0)
        {
            return null;
        }

        var values = categorical.Select(i => $"({i}, CAST(r.{Alias(i)} AS text))");
        return $"""
            SELECT feature, value, n FROM (
                SELECT v.feature, v.value, count(*) AS n,
                    row_number() OVER (PARTITION BY v.feature ORDER BY count(*) DESC, v.value COLLATE "C") AS rank
                FROM {Rows}
                CROSS JOIN LATERAL (VALUES {string.Join(", ", values)}) AS v(feature, value)
                WHERE v.value IS NOT NULL
                GROUP BY v.feature, v.value
            ) AS ranked
            WHERE rank <= {ProfileLimits.BaselineCategories}
            """;
    }

    private static string Alias(int index) => $"\"__f{index}\"";

    // The source rows in range, each feature under its alias.
    private string Rows
    {
        get
        {
            var source = request.View.Source;
            string Column(string name) => "s." + PostgresSql.Quote(source.SourceColumnFor(name));
            var eventTime = $"CAST({Column(source.TimestampField)} AS timestamptz)";
            var columns = request.View.Features.Select((name, i) => $"{Column(name)} AS {Alias(i)}");
            return $"""
                (SELECT {string.Join(", ", columns)}
                FROM {PostgresSql.SourceRelation(source, request.View.View.Name)} AS s
                WHERE {eventTime} >= @start AND {eventTime} < @end) AS r
                """;
        }
    }

    private static string Double(double value) => $"CAST('{HistogramLayout.RoundTrip(value)}' AS double precision)";
}

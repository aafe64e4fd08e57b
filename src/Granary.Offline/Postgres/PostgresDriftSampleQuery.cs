using Granary.Offline.Retrieval;
using Granary.Quality.Profiles;

namespace Granary.Offline.Postgres;

/// <summary>
/// The PostgreSQL statements of a drift sample over the view's source rows in [@start, @end) (the rows a profile
/// reads): a count of every feature's non-null values in one scan; per numeric feature the non-null values of the rows
/// with the smallest <c>md5(seed || row)</c>, up to the sample size (a hash of the whole row is as good as a random
/// order, but the same on every run with the same seed, which <c>random()</c> is not, and works on queries, which
/// <c>TABLESAMPLE</c> does not); per categorical feature its counts per value, the most frequent
/// <see cref="DriftSampling.Categories"/> one by one and the rest as <see cref="DriftSampling.OtherCategory"/>.
/// </summary>
internal sealed class PostgresDriftSampleQuery(DriftSampleRequest request)
{
    public string Counts() =>
        $"SELECT {string.Join(", ", request.View.Features.Select((_, i) => $"count({Alias(i)})"))} FROM {Rows}";

    public string Sample(int feature) => $"""
        SELECT CAST({Alias(feature)} AS double precision) FROM {Rows}
        WHERE {Alias(feature)} IS NOT NULL
        ORDER BY __h
        LIMIT {request.SampleSize}
        """;

    public string Categories(int feature) => $"""
        SELECT CASE WHEN rank <= {DriftSampling.Categories} THEN value ELSE '{DriftSampling.OtherCategory}' END AS category, CAST(sum(n) AS bigint) AS n
        FROM (
            SELECT value, n, row_number() OVER (ORDER BY n DESC, value COLLATE "C") AS rank
            FROM (SELECT CAST({Alias(feature)} AS text) AS value, count(*) AS n FROM {Rows} WHERE {Alias(feature)} IS NOT NULL GROUP BY 1) AS g
        ) AS ranked
        GROUP BY 1
        ORDER BY n DESC, category
        """;

    private static string Alias(int index) => $"\"__f{index}\"";

    // The source rows in range, each feature under its alias, with the hash that orders the sample.
    private string Rows
    {
        get
        {
            var source = request.View.Source;
            string Column(string name) => "s." + PostgresSql.Quote(source.SourceColumnFor(name));
            var eventTime = $"CAST({Column(source.TimestampField)} AS timestamptz)";
            var columns = request.View.Features.Select((name, i) => $"{Column(name)} AS {Alias(i)}");
            return $"""
                (SELECT {string.Join(", ", columns)}, md5({request.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture)} || ':' || CAST(s AS text)) AS __h
                FROM {PostgresSql.SourceRelation(source, request.View.View.Name)} AS s
                WHERE {eventTime} >= @start AND {eventTime} < @end) AS r
                """;
        }
    }
}

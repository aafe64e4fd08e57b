using System.Globalization;
using Granary.Offline.Retrieval;

namespace Granary.Offline.DuckDb;

/// <summary>
/// The DuckDB statement for a <see cref="StreamEventsRequest"/>: one filtered pass over the log and its pushes, sorted
/// by key and then in log order (files in listing order, rows in file order, numbered before anything reorders them),
/// so that of two copies of a key's event id the one logged first is folded first and counts, as training data and
/// the online path count it (docs/streaming.md).
/// </summary>
internal static class DuckDbStreamEventsQuery
{
    public static string Build(StreamEventsRequest request) => $"SELECT * EXCLUDE (__log) FROM ({Events(request)})\nORDER BY {OrderBy(request)}";

    public static string BuildCount(StreamEventsRequest request) => $"SELECT count(*) FROM ({Events(request)})";

    private static string Events(StreamEventsRequest request)
    {
        var view = request.View;
        var source = new DuckDbViewSourceSql(view, request.RepositoryRoot);
        string Column(string logical) => DuckDbSql.Quote(view.Source.SourceColumnFor(logical));
        var columns = new List<string>();
        for (var k = 0; k < view.JoinKeys.Count; k++)
        {
            columns.Add($"{Column(view.JoinKeys[k])} AS {DuckDbViewSourceSql.KeyAlias(k)}");
        }

        columns.Add($"epoch_us(CAST({Column(view.Source.TimestampField)} AS TIMESTAMPTZ)) AS {StreamEventsRequest.TimeColumn}");
        for (var f = 0; f < view.Features.Count; f++)
        {
            columns.Add($"{Column(view.Features[f])} AS {DuckDbViewSourceSql.FeatureAlias(f)}");
        }

        var start = request.StartMicros.ToString(CultureInfo.InvariantCulture);
        var end = request.EndMicros.ToString(CultureInfo.InvariantCulture);
        return $"""
            SELECT * FROM (
                SELECT {string.Join(", ", columns)}, row_number() OVER () AS __log
                FROM {source.ReadFunction}
                WHERE {Column(view.Source.TimestampField)} IS NOT NULL
            )
            WHERE {StreamEventsRequest.TimeColumn} BETWEEN {start} AND {end}
            """;
    }

    private static string OrderBy(StreamEventsRequest request) =>
        string.Join(", ", Enumerable.Range(0, request.View.JoinKeys.Count).Select(DuckDbViewSourceSql.KeyAlias).Append("__log"));
}

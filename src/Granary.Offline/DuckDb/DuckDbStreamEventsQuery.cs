using System.Globalization;
using Granary.Offline.Retrieval;

namespace Granary.Offline.DuckDb;

/// <summary>The DuckDB statement for a <see cref="StreamEventsRequest"/>: one filtered, sorted pass over the log and its pushes.</summary>
internal static class DuckDbStreamEventsQuery
{
    public static string Build(StreamEventsRequest request) => $"{Events(request)}\nORDER BY {OrderBy(request)}";

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
                SELECT {string.Join(", ", columns)}
                FROM {source.ReadFunction}
                WHERE {Column(view.Source.TimestampField)} IS NOT NULL
            )
            WHERE {StreamEventsRequest.TimeColumn} BETWEEN {start} AND {end}
            """;
    }

    private static string OrderBy(StreamEventsRequest request) =>
        string.Join(", ", Enumerable.Range(0, request.View.JoinKeys.Count).Select(DuckDbViewSourceSql.KeyAlias).Append(StreamEventsRequest.TimeColumn));
}

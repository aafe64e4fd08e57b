using Granary.Core.Model;
using Granary.Offline.Retrieval;

namespace Granary.Offline.Postgres;

/// <summary>
/// The PostgreSQL statement for a <see cref="StreamEventsRequest"/>: the log's rows in the interval, sorted by key and
/// then in log order, so that of two copies of a key's event id the one logged first is folded first and counts, as
/// training data counts it: a table's insertion order (<c>ctid</c>, while it is only appended to), or for a query
/// source, which has no order, the event time. The bounds are parameters <c>@start</c> and <c>@end</c> in Unix
/// microseconds.
/// </summary>
internal static class PostgresStreamEventsQuery
{
    public static string Build(StreamEventsRequest request)
    {
        var keys = Enumerable.Range(0, request.View.JoinKeys.Count).Select(k => $"\"__k{k}\"").Append("\"__log\"").Append($"\"{StreamEventsRequest.TimeColumn}\"");
        return $"{Events(request)}\nORDER BY {string.Join(", ", keys)}";
    }

    public static string BuildCount(StreamEventsRequest request) => $"SELECT count(*) FROM ({Events(request)}) AS events";

    private static string Events(StreamEventsRequest request)
    {
        var view = request.View;
        var source = view.Source;
        string Column(string name) => "s." + PostgresSql.Quote(source.SourceColumnFor(name));

        // extract(epoch ...) is numeric, exact to the microsecond, so the cast neither rounds nor loses a digit.
        var micros = $"CAST(extract(epoch FROM CAST({Column(source.TimestampField)} AS timestamptz)) * 1000000 AS bigint)";
        var columns = new List<string>();
        columns.AddRange(view.JoinKeys.Select((k, i) => $"{Column(k)} AS \"__k{i}\""));
        columns.Add($"{micros} AS \"{StreamEventsRequest.TimeColumn}\"");
        columns.AddRange(view.Features.Select((f, i) => $"{Column(f)} AS \"__f{i}\""));
        // Last, after the columns the reader reads by position.
        columns.Add(source is PostgresSource { Table.Length: > 0 } ? "s.ctid AS \"__log\"" : $"{micros} AS \"__log\"");
        return $"""
            SELECT * FROM (
                SELECT {string.Join(", ", columns)}
                FROM {PostgresSql.SourceRelation(source, view.View.Name)} AS s
                WHERE {Column(source.TimestampField)} IS NOT NULL
            ) AS events
            WHERE "{StreamEventsRequest.TimeColumn}" BETWEEN @start AND @end
            """;
    }
}

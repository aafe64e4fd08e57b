using Granary.Offline.Retrieval;

namespace Granary.Offline.Postgres;

/// <summary>
/// The PostgreSQL statement for a <see cref="LatestValuesRequest"/>: <c>DISTINCT ON</c> the join keys, latest event
/// then created time first; the interval bounds are parameters <c>@start</c> and <c>@end</c>.
/// </summary>
internal static class PostgresLatestValuesQuery
{
    public static string Build(LatestValuesRequest request)
    {
        var view = request.View;
        var source = view.Source;
        string Column(string name) => "s." + PostgresSql.Quote(source.SourceColumnFor(name));
        var keys = view.JoinKeys.Select(Column).ToList();
        var created = source.CreatedTimestampColumn is { Length: > 0 } c ? $"CAST({Column(c)} AS timestamptz)" : "CAST(NULL AS timestamptz)";
        var eventTime = $"CAST({Column(source.TimestampField)} AS timestamptz)";
        var columns = new List<string>();
        columns.AddRange(keys.Select((k, i) => $"{k} AS \"__k{i}\""));
        columns.Add($"{eventTime} AS \"__event_ts\"");
        columns.Add($"{created} AS \"__created_ts\"");
        columns.AddRange(view.Features.Select((f, i) => $"{Column(f)} AS \"__f{i}\""));
        if (request.CountTies)
        {
            // Windows are computed before DISTINCT ON keeps a row: the kept row counts the rows of its entity and time.
            columns.Add($"count(*) OVER (PARTITION BY {string.Join("", keys.Select(k => k + ", "))}{eventTime}) AS \"__ties\"");
        }

        var distinct = keys.Count > 0 ? $"DISTINCT ON ({string.Join(", ", keys)}) " : "";
        var order = keys.Count > 0 ? string.Join(", ", keys) + ", " : "";
        var limit = keys.Count > 0 ? "" : "\nLIMIT 1";
        return $"""
            SELECT {distinct}{string.Join(", ", columns)}
            FROM {PostgresSql.SourceRelation(source, view.View.Name)} AS s
            WHERE {eventTime} >= @start AND {eventTime} <= @end
            ORDER BY {order}{eventTime} DESC, {created} DESC NULLS LAST{limit}
            """;
    }
}

using System.Globalization;
using Granary.Offline.Retrieval;

namespace Granary.Offline.DuckDb;

/// <summary>The DuckDB statement for a <see cref="LatestValuesRequest"/>: one pass over the source, one row per entity.</summary>
internal static class DuckDbLatestValuesQuery
{
    public static string Build(LatestValuesRequest request)
    {
        var view = request.View;
        var source = new DuckDbViewSourceSql(view, request.RepositoryRoot);
        var keys = Enumerable.Range(0, view.JoinKeys.Count).Select(DuckDbViewSourceSql.KeyAlias).ToList();
        var carried = new List<string> { DuckDbViewSourceSql.EventColumn, DuckDbViewSourceSql.CreatedColumn };
        carried.AddRange(Enumerable.Range(0, view.Features.Count).Select(DuckDbViewSourceSql.FeatureAlias));

        // arg_max keeps one row per entity while scanning (a hash aggregate), so memory follows the number of entities,
        // not of source rows, as a window over every row would. A missing created time loses every tie.
        var row = $"struct_pack({string.Join(", ", carried.Select(c => $"{c} := {c}"))})";
        var order = $"struct_pack(e := {DuckDbViewSourceSql.EventColumn}, c := coalesce({DuckDbViewSourceSql.CreatedColumn}, '-infinity'::TIMESTAMPTZ))";
        var groupBy = keys.Count > 0 ? $"\n    GROUP BY {string.Join(", ", keys)}" : "";
        var select = keys.Concat(carried.Select(c => $"latest.{c} AS {c}")).ToList();
        // The two latest event times of the entity, in the same pass: equal ones mean its latest row is tied.
        var ties = request.CountTies ? $", max_by({DuckDbViewSourceSql.EventColumn}, {DuckDbViewSourceSql.EventColumn}, 2) AS top_events" : "";
        if (request.CountTies)
        {
            select.Add("CAST(CASE WHEN len(top_events) = 2 AND top_events[1] = top_events[2] THEN 2 ELSE 1 END AS BIGINT) AS __ties");
        }

        return $"""
            WITH {source.SourceCte("src", asofOrder: false)}
            SELECT {string.Join(", ", select)}
            FROM (
                SELECT {string.Join("", keys.Select(k => k + ", "))}arg_max({row}, {order}) AS latest{ties}
                FROM src
                WHERE {DuckDbViewSourceSql.EventColumn} >= {Timestamp(request.Start)} AND {DuckDbViewSourceSql.EventColumn} <= {Timestamp(request.End)}{groupBy}
                HAVING count(*) > 0
            )
            """;
    }

    public static string BuildCount(LatestValuesRequest request)
    {
        var view = request.View;
        var source = new DuckDbViewSourceSql(view, request.RepositoryRoot);
        var keys = string.Join(", ", Enumerable.Range(0, view.JoinKeys.Count).Select(DuckDbViewSourceSql.KeyAlias));
        var distinct = keys.Length > 0 ? $"SELECT DISTINCT {keys} FROM src" : "SELECT 1 FROM src LIMIT 1";
        return $"""
            WITH {source.SourceCte("src", asofOrder: false)}
            SELECT count(*) FROM ({distinct}
                WHERE {DuckDbViewSourceSql.EventColumn} >= {Timestamp(request.Start)} AND {DuckDbViewSourceSql.EventColumn} <= {Timestamp(request.End)})
            """;
    }

    private static string Timestamp(DateTimeOffset value) =>
        $"TIMESTAMPTZ {DuckDbSql.Literal(value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00")}";
}

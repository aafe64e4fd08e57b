using System.Globalization;
using Granary.Offline.DuckDb;

namespace Granary.Offline.Retrieval;

/// <summary>The DuckDB statement for a <see cref="LatestValuesRequest"/>: one pass over the source, one row per entity.</summary>
internal static class LatestValuesQuery
{
    public static string Build(LatestValuesRequest request)
    {
        var view = request.View;
        var source = new ViewSourceSql(view, request.RepositoryRoot);
        var keys = string.Join(", ", Enumerable.Range(0, view.JoinKeys.Count).Select(ViewSourceSql.KeyAlias));
        var columns = new List<string>();
        columns.AddRange(Enumerable.Range(0, view.JoinKeys.Count).Select(ViewSourceSql.KeyAlias));
        columns.Add(ViewSourceSql.EventColumn);
        columns.Add(ViewSourceSql.CreatedColumn);
        columns.AddRange(Enumerable.Range(0, view.Features.Count).Select(ViewSourceSql.FeatureAlias));
        var partition = keys.Length > 0 ? $"PARTITION BY {keys} " : "";
        return $"""
            WITH {source.SourceCte("src", dedup: false)}
            SELECT {string.Join(", ", columns)}
            FROM src
            WHERE {ViewSourceSql.EventColumn} >= {Timestamp(request.Start)} AND {ViewSourceSql.EventColumn} <= {Timestamp(request.End)}
            QUALIFY row_number() OVER ({partition}ORDER BY {ViewSourceSql.EventColumn} DESC, {ViewSourceSql.CreatedColumn} DESC NULLS LAST) = 1
            """;
    }

    public static string BuildCount(LatestValuesRequest request)
    {
        var view = request.View;
        var source = new ViewSourceSql(view, request.RepositoryRoot);
        var keys = string.Join(", ", Enumerable.Range(0, view.JoinKeys.Count).Select(ViewSourceSql.KeyAlias));
        var distinct = keys.Length > 0 ? $"SELECT DISTINCT {keys} FROM src" : "SELECT 1 FROM src LIMIT 1";
        return $"""
            WITH {source.SourceCte("src", dedup: false)}
            SELECT count(*) FROM ({distinct}
                WHERE {ViewSourceSql.EventColumn} >= {Timestamp(request.Start)} AND {ViewSourceSql.EventColumn} <= {Timestamp(request.End)})
            """;
    }

    private static string Timestamp(DateTimeOffset value) =>
        $"TIMESTAMPTZ {DuckDbSql.Literal(value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00")}";
}

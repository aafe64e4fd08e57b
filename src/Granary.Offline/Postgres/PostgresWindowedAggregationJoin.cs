using System.Globalization;
using Granary.Core.Model;
using Granary.Offline.Retrieval;
using Granary.Streaming.Aggregation;

namespace Granary.Offline.Postgres;

/// <summary>
/// A stream view's part of <see cref="PostgresPointInTimeQuery"/>, the PostgreSQL twin of
/// <see cref="DuckDb.DuckDbWindowedAggregationQuery"/> with the same semantics (docs/streaming.md): each entity row is
/// joined to its key's logged events up to its instant (and no earlier than the widest window or the ttl reaches),
/// grouped by entity row, and each feature is one aggregate whose <c>FILTER</c> is its window,
/// <c>floor((t - W) / h) * h &lt;= e.ts &lt;= t</c>, in integer microseconds.
/// </summary>
/// <remarks>
/// The functions answer what the tiles answer: float sums and means are summed exactly in <c>numeric</c> and rounded
/// once (the tiles' compensated sum approaches the same correctly rounded value), <c>var_samp</c> and
/// <c>stddev_samp</c>, first, last and last_k as <c>array_agg</c> ordered by (time, value), strings compared by code
/// point (<c>COLLATE "C"</c>), booleans by <c>bool_and</c> and <c>bool_or</c>, nulls left out; the sketches' exact
/// counterparts <c>count(DISTINCT)</c> and <c>percentile_cont</c> (DuckDB's <c>quantile_cont</c>).
/// </remarks>
internal sealed class PostgresWindowedAggregationJoin : IPostgresViewPart
{
    private const string Micros = "\"__granary_us\"";
    private const string EntityMicros = "\"__granary_t\"";
    private const string Events = "\"__granary_ev\"";
    private const string Copy = "\"__granary_n\"";
    private const string Id = "\"__granary_id\"";

    private readonly int _index;
    private readonly StreamViewQuery _query;
    private readonly IReadOnlyList<string> _columns;

    // Per join key of the view: the source column, and the entity key column's number in the entity CTE.
    private readonly List<(string Source, int Entity)> _keys = [];

    /// <param name="index">The view's position in the request; names its CTEs and feature columns.</param>
    /// <param name="query">The stream view and its requested features.</param>
    /// <param name="entityKeys">The join keys the entity CTE exposes; this view's keys are added if missing.</param>
    public PostgresWindowedAggregationJoin(int index, StreamViewQuery query, List<string> entityKeys)
    {
        _index = index;
        _query = query;
        _columns = query.Columns;
        foreach (var key in query.View.JoinKeys)
        {
            var position = entityKeys.IndexOf(key);
            if (position < 0)
            {
                position = entityKeys.Count;
                entityKeys.Add(key);
            }

            _keys.Add((SourceColumn(key), position));
        }
    }

    private string Sources => $"\"__granary_s{_index}\"";

    private string Result => $"\"__granary_r{_index}\"";

    public string Ctes()
    {
        var e = PostgresPointInTimeQuery.Entity;
        var row = PostgresPointInTimeQuery.Row;
        var source = _query.View.Source;
        var time = SourceColumn(source.TimestampField);
        var columns = _keys.Select(k => $"{k.Source} AS {PostgresViewJoin.KeyColumn(k.Entity)}").ToList();
        columns.Add($"{ToMicros($"CAST({time} AS timestamptz)")} AS {Micros}");
        columns.AddRange(_columns.Select((c, j) => $"{SourceColumn(c)} AS {EventColumn(j)}"));
        var conditions = new List<string> { $"{time} IS NOT NULL" };
        if (_keys.Count > 0)
        {
            // Only keys some entity row asks for; a null key matches nothing, as in an equality join.
            var entityKeys = string.Join(", ", _keys.Select(k => $"{e}.{PostgresViewJoin.KeyColumn(k.Entity)}"));
            conditions.Add(_keys.Count == 1
                ? $"{_keys[0].Source} IN (SELECT {entityKeys} FROM {e})"
                : $"({string.Join(", ", _keys.Select(k => k.Source))}) IN (SELECT {entityKeys} FROM {e})");
        }

        var events = $"""
            SELECT {string.Join(", ", columns)}
                FROM {PostgresSql.SourceRelation(source, _query.View.View.Name)} AS "__granary_src"
                WHERE {string.Join(" AND ", conditions)}
            """;
        if (_query.EventIdField is { } id)
        {
            // An event id repeated for one key is one event delivered twice: the copy logged first counts, as online the
            // copy applied first (a push logs its rows in the order it applies them). A table's rows are in the order
            // they were inserted while it is only appended to; a query has no order of its own, so there the earliest
            // event time stands in for it. The same id for another key is another event.
            var idColumn = SourceColumn(id);
            var partition = string.Concat(_keys.Select(k => k.Source + ", ")) + idColumn;
            var logOrder = source is PostgresSource { Table.Length: > 0 } ? "\"__granary_src\".ctid" : ToMicros($"CAST({time} AS timestamptz)");
            events = $"""
                SELECT * FROM (
                    SELECT {string.Join(", ", columns)}, {idColumn} AS {Id},
                        row_number() OVER (PARTITION BY {partition} ORDER BY {logOrder}) AS {Copy}
                    FROM {PostgresSql.SourceRelation(source, _query.View.View.Name)} AS "__granary_src"
                    WHERE {string.Join(" AND ", conditions)}
                ) AS "__granary_once"
                WHERE {Id} IS NULL OR {Copy} = 1
                """;
        }

        var keys = string.Concat(_keys.Select(k => $", {PostgresViewJoin.KeyColumn(k.Entity)}"));
        var on = _keys.Select(k => $"{Events}.{PostgresViewJoin.KeyColumn(k.Entity)} = {e}.{PostgresViewJoin.KeyColumn(k.Entity)}")
            .Append($"{Events}.{Micros} <= {e}.{EntityMicros}");
        if (_query.ReachMicros is { } reach)
        {
            on = on.Append($"{Events}.{Micros} >= {e}.{EntityMicros} - {reach.ToString(CultureInfo.InvariantCulture)}");
        }

        var aggregates = _query.Features.Select((feature, f) => $"{Guarded(Aggregate(feature))} AS \"__f{f}\"");
        return $"""
            {Sources} AS MATERIALIZED (
                {events}
            ),
            {Result} AS (
                SELECT {e}.{row}, {string.Join(",\n        ", aggregates)}
                FROM (SELECT {row}, {ToMicros(PostgresPointInTimeQuery.Time)} AS {EntityMicros}{keys} FROM {e}) AS {e}
                LEFT JOIN {Sources} AS {Events} ON {string.Join(" AND ", on)}
                GROUP BY {e}.{row}, {e}.{EntityMicros}
            )
            """;
    }

    public string Joins() =>
        $"LEFT JOIN {Result} ON {Result}.{PostgresPointInTimeQuery.Row} = {PostgresPointInTimeQuery.Entity}.{PostgresPointInTimeQuery.Row}";

    // extract(epoch ...) is numeric, exact to the microsecond, so the cast neither rounds nor loses a digit.
    private static string ToMicros(string timestamptz) => $"CAST(extract(epoch FROM {timestamptz}) * 1000000 AS bigint)";

    private static string EventColumn(int j) => $"\"__granary_c{j}\"";

    private string SourceColumn(string logicalName) => $"\"__granary_src\".{PostgresSql.Quote(_query.View.Source.SourceColumnFor(logicalName))}";

    /// <summary>With a ttl, a feature answers only when the key's newest event at or before t is within it (as online, OUTSIDE_MAX_AGE).</summary>
    private string Guarded(string aggregate) =>
        _query.TtlMicros > 0
            ? $"CASE WHEN max({Events}.{Micros}) >= {PostgresPointInTimeQuery.Entity}.{EntityMicros} - {_query.TtlMicros.ToString(CultureInfo.InvariantCulture)} THEN {aggregate} END"
            : aggregate;

    private string Aggregate(StreamFeature feature)
    {
        var aggregation = _query.Plan.Aggregations[feature.AggregationIndex];
        var inWindow = feature.Window.IsLifetime ? "TRUE" : $"{Events}.{Micros} >= {WindowSql.Start($"{PostgresPointInTimeQuery.Entity}.{EntityMicros}", feature.Window)}";
        if (aggregation.Column is null)
        {
            return $"count({Events}.{Micros}) FILTER (WHERE {inWindow})";
        }

        var column = $"{Events}.{EventColumn(IndexOf(aggregation.Column))}";
        var kind = aggregation.InputType!.Value.Kind;

        // Strings order by code point, as the tiles and DuckDB compare them, whatever the database's collation.
        var ordered = kind == ScalarKind.String ? $"{column} COLLATE \"C\"" : column;
        var where = $" FILTER (WHERE {column} IS NOT NULL AND {inWindow})";
        var asDouble = $"CAST({column} AS double precision)";
        var exactSum = $"CAST(sum(CAST({column} AS numeric)){where} AS double precision)";
        return aggregation.Function switch
        {
            AggregationFunction.Count => $"count({column}){where}",
            AggregationFunction.Sum when aggregation.OutputType.Kind == ScalarKind.Int64 => $"CAST(sum({column}){where} AS bigint)",
            AggregationFunction.Sum => exactSum,
            AggregationFunction.Mean => $"{exactSum} / count({column}){where}",
            AggregationFunction.Min or AggregationFunction.Max => Extreme(aggregation.Function == AggregationFunction.Max, kind, column, ordered, where),
            AggregationFunction.Variance => $"var_samp({asDouble}){where}",
            AggregationFunction.Stddev => $"stddev_samp({asDouble}){where}",
            AggregationFunction.First => $"(array_agg({column} ORDER BY {Events}.{Micros} ASC, {ordered} ASC){where})[1]",
            AggregationFunction.Last => $"(array_agg({column} ORDER BY {Events}.{Micros} DESC, {ordered} DESC){where})[1]",
            AggregationFunction.LastK => $"(array_agg({column} ORDER BY {Events}.{Micros} DESC, {ordered} DESC){where})[1:{aggregation.K}]",
            AggregationFunction.ApproxCountDistinct => $"count(DISTINCT {column}){where}",
            AggregationFunction.ApproxPercentile =>
                $"percentile_cont({(aggregation.Percentiles[feature.Output] / 100).ToString("R", CultureInfo.InvariantCulture)}) WITHIN GROUP (ORDER BY {asDouble}){where}",
            _ => throw new InvalidOperationException($"No SQL for {aggregation.Function}."),
        };
    }

    // PostgreSQL has no min or max of booleans (bool_and and bool_or are) nor of bytea (the first of the sorted values is).
    private static string Extreme(bool largest, ScalarKind kind, string column, string ordered, string where) => kind switch
    {
        ScalarKind.Bool => $"{(largest ? "bool_or" : "bool_and")}({column}){where}",
        ScalarKind.Bytes => $"(array_agg({column} ORDER BY {column} {(largest ? "DESC" : "ASC")}){where})[1]",
        ScalarKind.String => $"{(largest ? "max" : "min")}({ordered}){where}",
        _ => $"{(largest ? "max" : "min")}({column}){where}",
    };

    private int IndexOf(string column)
    {
        for (var j = 0; j < _columns.Count; j++)
        {
            if (_columns[j] == column)
            {
                return j;
            }
        }

        throw new InvalidOperationException($"Column '{column}' is not among the stream view's columns.");
    }
}

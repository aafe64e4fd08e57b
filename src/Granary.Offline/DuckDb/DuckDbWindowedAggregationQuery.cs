using System.Globalization;
using System.Text;
using Granary.Offline.Retrieval;
using Granary.Streaming.Aggregation;

namespace Granary.Offline.DuckDb;

/// <summary>
/// A stream view's features at each entity row's instant, in one DuckDB statement over the logged events: the
/// online path's definition (docs/streaming.md) in SQL. Each entity row is joined to its key's events up to its
/// instant, and each feature is one aggregate whose <c>FILTER</c> is its window,
/// <c>floor((t - W) / h) * h &lt;= e.ts &lt;= t</c>, computed in integer microseconds. The functions are chosen to
/// answer what the tiles answer: compensated sums (<c>fsum</c>), sample variance, ties of first, last and last_k
/// broken by value, nulls left out; the sketches' exact counterparts (<c>count(DISTINCT)</c>, <c>quantile_cont</c>),
/// which the online estimates approach within their documented error.
/// </summary>
internal static class DuckDbWindowedAggregationQuery
{
    /// <summary>The output column numbering the entity rows (1, 2, ... in the relation's order).</summary>
    public const string RowColumn = "__row";

    /// <summary>
    /// The statement: one row per entity row, ordered by <see cref="RowColumn"/>, then one column per feature of
    /// <paramref name="plan"/> in its order, named as the feature.
    /// </summary>
    public static string Build(
        AggregationPlan plan,
        string entities,
        string events,
        IReadOnlyList<string> joinKeys,
        string entityTimestamp,
        string eventTimestamp)
    {
        var sql = new StringBuilder();
        sql.Append(CultureInfo.InvariantCulture, $"WITH e AS (SELECT *, row_number() OVER () AS {RowColumn}, epoch_us({DuckDbSql.Quote(entityTimestamp)}) AS __t FROM {entities}),\n");
        sql.Append(CultureInfo.InvariantCulture, $"ev AS (SELECT *, epoch_us({DuckDbSql.Quote(eventTimestamp)}) AS __ts FROM {events})\n");
        sql.Append(CultureInfo.InvariantCulture, $"SELECT e.{RowColumn}");
        foreach (var feature in plan.Features)
        {
            sql.Append(",\n  ").Append(Aggregate(plan.Aggregations[feature.AggregationIndex], feature)).Append(" AS ").Append(DuckDbSql.Quote(feature.Name));
        }

        var on = joinKeys.Select(key => $"ev.{DuckDbSql.Quote(key)} = e.{DuckDbSql.Quote(key)}");
        sql.Append("\nFROM e LEFT JOIN ev ON ").Append(JoinCondition(on, EarliestStart(plan)));
        sql.Append(CultureInfo.InvariantCulture, $"\nGROUP BY e.{RowColumn}\nORDER BY e.{RowColumn}");
        return sql.ToString();
    }

    /// <summary>
    /// The two CTEs that compute a stream view's requested features inside <see cref="DuckDbPointInTimeQuery"/>:
    /// <c>ev_{index}</c>, the logged events (keys as <c>__k{n}</c>, time as integer microseconds, columns under their
    /// definition names, an event id repeated for a key kept once: its first logged copy), and <c>a_{index}</c>, one
    /// row per entity row (<paramref name="rowColumn"/>) with feature <c>f</c> as <c>__f{f}</c>. The entity CTE <paramref name="entity"/>
    /// carries the join keys under their own names and the row's time as TIMESTAMPTZ in <paramref name="timeColumn"/>.
    /// </summary>
    public static string Ctes(StreamViewQuery query, int index, string readFunction, string entity, string rowColumn, string timeColumn)
    {
        var view = query.View;
        var source = view.Source;
        string Column(string logical) => DuckDbSql.Quote(source.SourceColumnFor(logical));
        var columns = new List<string>();
        for (var k = 0; k < view.JoinKeys.Count; k++)
        {
            columns.Add($"{Column(view.JoinKeys[k])} AS __k{k}");
        }

        columns.Add($"epoch_us(CAST({Column(source.TimestampField)} AS TIMESTAMPTZ)) AS __ts");
        columns.AddRange(query.Columns.Select(c => $"{Column(c)} AS {DuckDbSql.Quote(c)}"));

        // An event id repeated for one key is one event delivered twice: the copy logged first counts, as online the
        // copy applied first (a push logs its rows in the order it applies them). The log's order is the scan's (files
        // in list order, rows in file order), numbered before anything reorders it. The same id for another key is
        // another event.
        var events = $"{readFunction}\n        WHERE {Column(source.TimestampField)} IS NOT NULL";
        if (query.EventIdField is { } id)
        {
            var keyColumns = string.Concat(Enumerable.Range(0, view.JoinKeys.Count).Select(k => $"__k{k}, "));
            events = $"""
                (SELECT {string.Join(", ", columns)}, {Column(id)} AS __id, row_number() OVER () AS __log
                    FROM {events})
                    QUALIFY __id IS NULL OR row_number() OVER (PARTITION BY {keyColumns}__id ORDER BY __log) = 1
                """;
            columns = [.. Enumerable.Range(0, view.JoinKeys.Count).Select(k => $"__k{k}"), "__ts", .. query.Columns.Select(DuckDbSql.Quote)];
        }

        var aggregates = query.Features.Select((feature, f) =>
            $"{Guarded(query, Aggregate(query.Plan.Aggregations[feature.AggregationIndex], feature))} AS __f{f}");
        var keys = string.Concat(view.JoinKeys.Select(key => ", " + DuckDbSql.Quote(key)));
        var on = view.JoinKeys.Select((key, k) => $"ev.__k{k} = e.{DuckDbSql.Quote(key)}");
        var earliest = query.ReachMicros is { } reach ? $"e.__t - {reach.ToString(CultureInfo.InvariantCulture)}" : null;
        return $"""
            ev_{index} AS (
                SELECT {string.Join(", ", columns)}
                FROM {events}
            ),
            a_{index} AS (
                SELECT e.{rowColumn}, {string.Join(",\n        ", aggregates)}
                FROM (SELECT {rowColumn}, epoch_us({timeColumn}) AS __t{keys} FROM {entity}) e
                LEFT JOIN ev_{index} ev ON {JoinCondition(on, earliest)}
                GROUP BY e.{rowColumn}, e.__t
            )
            """;
    }

    // An equality on every key lets DuckDB hash-join the entity rows to their keys' events; the time band then keeps
    // only the events some window can read, so no entity row meets events it does not aggregate.
    private static string JoinCondition(IEnumerable<string> keyEqualities, string? earliest)
    {
        var conditions = keyEqualities.Append("ev.__ts <= e.__t");
        if (earliest is not null)
        {
            conditions = conditions.Append("ev.__ts >= " + earliest);
        }

        return string.Join(" AND ", conditions);
    }

    /// <summary>With a ttl, a feature answers only when the key's newest event at or before t is within it (as online, OUTSIDE_MAX_AGE).</summary>
    private static string Guarded(StreamViewQuery query, string aggregate) =>
        query.TtlMicros > 0
            ? $"CASE WHEN max(ev.__ts) >= e.__t - {query.TtlMicros.ToString(CultureInfo.InvariantCulture)} THEN {aggregate} END"
            : aggregate;

    private static string Aggregate(Aggregation aggregation, StreamFeature feature)
    {
        var column = aggregation.Column is null ? "ev.__ts" : "ev." + DuckDbSql.Quote(aggregation.Column);
        var filter = aggregation.Column is null ? InWindow(feature.Window) : $"{column} IS NOT NULL AND {InWindow(feature.Window)}";
        var where = $" FILTER (WHERE {filter})";
        return aggregation.Function switch
        {
            AggregationFunction.Count => $"count({column}){where}",
            AggregationFunction.Sum when aggregation.OutputType.Kind == Core.Model.ScalarKind.Int64 => $"CAST(sum({column}){where} AS BIGINT)",
            AggregationFunction.Sum => $"fsum(CAST({column} AS DOUBLE)){where}",
            AggregationFunction.Mean => $"fsum(CAST({column} AS DOUBLE)){where} / count({column}){where}",
            AggregationFunction.Min => $"min({column}){where}",
            AggregationFunction.Max => $"max({column}){where}",
            AggregationFunction.Variance => $"var_samp(CAST({column} AS DOUBLE)){where}",
            AggregationFunction.Stddev => $"stddev_samp(CAST({column} AS DOUBLE)){where}",
            AggregationFunction.First => $"first({column} ORDER BY ev.__ts ASC, {column} ASC){where}",
            AggregationFunction.Last => $"first({column} ORDER BY ev.__ts DESC, {column} DESC){where}",
            AggregationFunction.LastK => $"list_slice(list({column} ORDER BY ev.__ts DESC, {column} DESC){where}, 1, {aggregation.K})",
            AggregationFunction.ApproxCountDistinct => $"count(DISTINCT {column}){where}",
            AggregationFunction.ApproxPercentile =>
                $"quantile_cont(CAST({column} AS DOUBLE), {(aggregation.Percentiles[feature.Output] / 100).ToString("R", CultureInfo.InvariantCulture)}){where}",
            _ => throw new InvalidOperationException($"No SQL for {aggregation.Function}."),
        };
    }

    /// <summary>The window's condition on an event's microseconds <c>ev.__ts</c> (the upper bound is the join's).</summary>
    private static string InWindow(Window window) => window.IsLifetime ? "TRUE" : $"ev.__ts >= {WindowSql.Start("e.__t", window)}";

    /// <summary>The earliest instant any feature reads, to bound the join; null when one is a lifetime.</summary>
    private static string? EarliestStart(AggregationPlan plan)
    {
        Window? widest = null;
        foreach (var feature in plan.Features)
        {
            if (feature.Window.IsLifetime)
            {
                return null;
            }

            if (widest is null || feature.Window.LengthMicros + feature.Window.HopMicros > widest.Value.LengthMicros + widest.Value.HopMicros)
            {
                widest = feature.Window;
            }
        }

        // Every window starts after t - (W + h) at the latest; the widest such bound covers them all.
        return widest is { } w
            ? $"e.__t - {(w.LengthMicros + w.HopMicros).ToString(CultureInfo.InvariantCulture)}"
            : null;
    }
}

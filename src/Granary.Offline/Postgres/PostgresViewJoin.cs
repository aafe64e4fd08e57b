using System.Globalization;
using Granary.Offline.Retrieval;

namespace Granary.Offline.Postgres;

/// <summary>
/// One view's part of <see cref="PostgresPointInTimeQuery"/>: a set-based point-in-time join made of sorts, a window
/// function and equality joins on row numbers, with no lookup per entity row, so its cost is that of sorting the
/// entity and source rows whether or not the source has an index.
/// </summary>
/// <remarks>
/// <para>
/// <c>__granary_s{i}</c> holds the source rows whose keys occur among the entity rows, numbered by
/// (event time, created time, nulls first): within one entity key, a greater number is a later row, ties on event
/// time broken by created time. <c>__granary_m{i}</c> merges them with the entity rows into one list per key, ordered
/// by the time a row becomes visible (its event time, or with the created-time filter the later of event and created
/// time; a source row before an entity row at the same time, as both bounds are inclusive); the running
/// <c>max</c> of the numbers at each entity row is then the latest candidate at or before its time: the winner.
/// The final join fetches the winner's features and nulls them when the winner is older than the TTL, which is right
/// because every other candidate is older still.
/// </para>
/// <para>
/// A <c>LEFT JOIN LATERAL (... LIMIT 1)</c> per entity row is the obvious alternative and is fast with an index on
/// (join keys, event time), but without one PostgreSQL runs it as a nested loop that scans the source once per entity
/// row. The merge needs no index; with one, the key filter of <c>__granary_s{i}</c> can use it.
/// </para>
/// </remarks>
internal sealed class PostgresViewJoin : IPostgresViewPart
{
    private const string SourceAlias = "\"__granary_s\"";
    private const string Seq = "\"__granary_seq\"";
    private const string At = "\"__granary_at\"";
    private const string Kind = "\"__granary_kind\"";
    private const string Winner = "\"__granary_win\"";
    private const string EventTime = "\"__granary_event\"";
    private const string CreatedTime = "\"__granary_created\"";

    private readonly int _index;
    private readonly PointInTimeView _view;
    private readonly bool _filterByCreated;

    // Per join key of the view: the source expression, and the entity key column's number in the entity CTE.
    private readonly List<(string Source, int Entity)> _keys = [];

    /// <param name="index">The view's position in the request; names its CTEs and feature columns.</param>
    /// <param name="view">The view.</param>
    /// <param name="filterByCreatedTimestamp">Whether a source row counts only once created at or before the entity row's time.</param>
    /// <param name="entityKeys">The join keys the entity CTE exposes; this view's keys are added if missing.</param>
    public PostgresViewJoin(int index, PointInTimeView view, bool filterByCreatedTimestamp, List<string> entityKeys)
    {
        _index = index;
        _view = view;
        _filterByCreated = filterByCreatedTimestamp && HasCreated;
        foreach (var key in view.JoinKeys)
        {
            var position = entityKeys.IndexOf(key);
            if (position < 0)
            {
                position = entityKeys.Count;
                entityKeys.Add(key);
            }

            _keys.Add((Column(key), position));
        }
    }

    private bool HasCreated => !string.IsNullOrEmpty(_view.Source.CreatedTimestampColumn);

    private string Sources => $"\"__granary_s{_index}\"";

    private string Matches => $"\"__granary_m{_index}\"";

    private string Result => $"\"__granary_r{_index}\"";

    /// <summary>The name of the entity CTE's column holding join key number <paramref name="position"/>.</summary>
    public static string KeyColumn(int position) => $"\"__granary_k{position}\"";

    /// <summary>The output expression of feature <paramref name="feature"/> of view <paramref name="view"/>.</summary>
    public static string FeatureColumn(int view, int feature) => $"\"__granary_r{view}\".\"__f{feature}\"";

    /// <summary>The view's two CTEs, to follow a comma after the entity CTE.</summary>
    public string Ctes()
    {
        var e = PostgresPointInTimeQuery.Entity;
        var row = PostgresPointInTimeQuery.Row;
        var eventTime = $"CAST({Column(_view.Source.TimestampField)} AS timestamptz)";
        var created = HasCreated ? $"CAST({Column(_view.Source.CreatedTimestampColumn!)} AS timestamptz)" : null;

        var columns = _keys.Select(k => $"{k.Source} AS {KeyColumn(k.Entity)}").ToList();
        columns.Add($"{eventTime} AS {EventTime}");
        if (created is not null)
        {
            columns.Add($"{created} AS {CreatedTime}");
        }

        columns.AddRange(_view.Features.Select((feature, f) => $"{Column(feature)} AS \"__f{f}\""));
        columns.Add($"row_number() OVER (ORDER BY {eventTime}{(created is null ? "" : $", {created} NULLS FIRST")}) AS {Seq}");

        // Rows without a time are never candidates; with the filter, neither are rows without a created time.
        var conditions = new List<string> { $"{eventTime} IS NOT NULL" };
        if (_filterByCreated)
        {
            conditions.Add($"{created} IS NOT NULL");
        }

        if (_keys.Count > 0)
        {
            // Only keys some entity row asks for; a null key matches nothing, as in an equality join.
            var entityKeys = string.Join(", ", _keys.Select(k => $"{e}.{KeyColumn(k.Entity)}"));
            conditions.Add(_keys.Count == 1
                ? $"{_keys[0].Source} IN (SELECT {entityKeys} FROM {e})"
                : $"({string.Join(", ", _keys.Select(k => k.Source))}) IN (SELECT {entityKeys} FROM {e})");
        }

        var partitionKeys = string.Join(", ", _keys.Select(k => KeyColumn(k.Entity)));
        var partition = _keys.Count > 0 ? $"PARTITION BY {partitionKeys} " : "";
        var unionKeys = string.Concat(_keys.Select(k => $"{KeyColumn(k.Entity)}, "));
        var sourceKeys = string.Concat(_keys.Select(k => $"{Sources}.{KeyColumn(k.Entity)}, "));
        var visible = _filterByCreated ? $"greatest({Sources}.{EventTime}, {Sources}.{CreatedTime})" : $"{Sources}.{EventTime}";
        return $"""
            {Sources} AS MATERIALIZED (
                SELECT {string.Join(",\n        ", columns)}
                FROM {PostgresSql.SourceRelation(_view.Source, _view.View.Name)} AS {SourceAlias}
                WHERE {string.Join("\n        AND ", conditions)}
            ),
            {Matches} AS (
                SELECT {row}, {Winner}
                FROM (
                    SELECT {row}, max({Seq}) OVER ({partition}ORDER BY {At}, {Kind} ROWS UNBOUNDED PRECEDING) AS {Winner}
                    FROM (
                        SELECT {unionKeys}{e}.{PostgresPointInTimeQuery.Time} AS {At}, 1 AS {Kind}, {e}.{row} AS {row}, CAST(NULL AS bigint) AS {Seq}
                        FROM {e}
                        WHERE {e}.{PostgresPointInTimeQuery.Time} IS NOT NULL
                        UNION ALL
                        SELECT {sourceKeys}{visible}, 0, NULL, {Sources}.{Seq}
                        FROM {Sources}
                    ) AS "__granary_u"
                ) AS "__granary_w"
                WHERE {row} IS NOT NULL
            )
            """;
    }

    /// <summary>The view's joins, to follow the entity CTE in the final FROM.</summary>
    public string Joins()
    {
        var e = PostgresPointInTimeQuery.Entity;
        var row = PostgresPointInTimeQuery.Row;
        var ttl = "";
        if (_view.View.Ttl > TimeSpan.Zero)
        {
            // Microseconds: the precision of every Granary timestamp, and no calendar arithmetic (a day is 86 400 s).
            var micros = (_view.View.Ttl.Ticks / TimeSpan.TicksPerMicrosecond).ToString(CultureInfo.InvariantCulture);
            ttl = $"\n    AND {Result}.{EventTime} >= {e}.{PostgresPointInTimeQuery.Time} - INTERVAL '{micros} microseconds'";
        }

        return $"""
            LEFT JOIN {Matches} ON {Matches}.{row} = {e}.{row}
            LEFT JOIN {Sources} AS {Result} ON {Result}.{Seq} = {Matches}.{Winner}{ttl}
            """;
    }

    private string Column(string logicalName) => $"{SourceAlias}.{PostgresSql.Quote(_view.Source.SourceColumnFor(logicalName))}";
}

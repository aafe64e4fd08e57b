using System.Globalization;
using System.Text;
using Granary.Offline.Retrieval;

namespace Granary.Offline.DuckDb;

/// <summary>
/// Turns a <see cref="PointInTimeRequest"/> into one DuckDB statement, so that the join runs inside the engine.
/// Shape: the entity rows numbered (<c>__granary_row</c>) with their time as TIMESTAMPTZ, one CTE per view
/// that yields at most one feature row per entity row, then the entity rows left-joined to each by row number.
/// </summary>
internal static class DuckDbPointInTimeQuery
{
    internal const string RowColumn = "__granary_row";
    internal const string TimeColumn = "__granary_ts";

    /// <summary>The entity row's ASOF key against sources with a created column: (true, T, true, infinity).</summary>
    internal const string ProbeColumn = "__granary_asof";
    internal const string EntityTimestampColumn = "event_timestamp";

    /// <summary>The SQL that follows <c>FROM</c> to read the entity rows in DuckDB.</summary>
    internal static string EntityRelation(EntityTable entities) => entities.Kind switch
    {
        EntityTableKind.Relation => DuckDbSql.Quote(entities.Text),
        EntityTableKind.Query => $"({entities.Text})",
        _ => DuckDbSql.ReadFunction(entities.Format, entities.Text),
    };

    /// <summary>The SELECT statement answering <paramref name="request"/>; rows come out in entity-table order.</summary>
    public static string Build(PointInTimeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var outputNames = FeatureColumnNames.Of(request);
        var sql = new StringBuilder();

        // Views whose answer is "the latest row at or before T" are ASOF-joined in one chain straight off the entity
        // rows, as a hand-written query would be; only views filtered by created time need a ranked CTE joined back.
        // Stream views aggregate their logged events over windows instead (DuckDbWindowedAggregationQuery); they are
        // joined back by row number, like the ranked views.
        var sources = request.Views.Select(view => new DuckDbViewSourceSql(view, request.RepositoryRoot)).ToArray();
        var streams = request.Views.Select(StreamViewQuery.Of).ToArray();
        var ranked = sources.Select((source, i) => streams[i] is null && request.FilterByCreatedTimestamp && source.HasCreated).ToArray();
        var orderedByCreated = sources.Select((source, i) => streams[i] is null && !ranked[i] && source.HasCreated).ToArray();
        var probe = orderedByCreated.Contains(true)
            ? $",\n        {DuckDbViewSourceSql.AsOfOrder($"{TimeColumn} IS NOT NULL", TimeColumn, "true", "'infinity'::TIMESTAMPTZ")} AS {ProbeColumn}"
            : "";

        // row_number() OVER () numbers rows in scan order, which DuckDB keeps (preserve_insertion_order), so the
        // number both orders the output and keeps duplicate entity rows apart.
        sql.Append(CultureInfo.InvariantCulture, $"""
            WITH entity AS (
                SELECT *{probe} FROM (
                    SELECT *, row_number() OVER () AS {RowColumn},
                        CAST({DuckDbSql.Quote(EntityTimestampColumn)} AS TIMESTAMPTZ) AS {TimeColumn}
                    FROM {EntityRelation(request.Entities)}
                )
            )
            """);
        for (var i = 0; i < request.Views.Count; i++)
        {
            if (streams[i] is { } stream)
            {
                sql.Append(",\n").Append(DuckDbWindowedAggregationQuery.Ctes(stream, i, sources[i].ReadFunction, "entity", RowColumn, TimeColumn));
                continue;
            }

            sql.Append(",\n").Append(sources[i].SourceCte($"src_{i}", asofOrder: orderedByCreated[i]));
            if (ranked[i])
            {
                sql.Append(",\n").Append(WindowCte(i, request.Views[i]));
            }
        }

        var internalColumns = probe.Length > 0 ? $"{RowColumn}, {TimeColumn}, {ProbeColumn}" : $"{RowColumn}, {TimeColumn}";
        sql.Append(CultureInfo.InvariantCulture, $"\nSELECT e.* EXCLUDE ({internalColumns})");
        var n = 0;
        for (var i = 0; i < request.Views.Count; i++)
        {
            for (var f = 0; f < request.Views[i].Features.Count; f++)
            {
                var feature = streams[i] is not null ? $"a_{i}.{DuckDbViewSourceSql.FeatureAlias(f)}"
                    : ranked[i] ? $"r_{i}.{DuckDbViewSourceSql.FeatureAlias(f)}"
                    : TtlGuarded(request.Views[i], $"s_{i}", f);
                sql.Append(CultureInfo.InvariantCulture, $", {feature} AS {DuckDbSql.Quote(outputNames[n++])}");
            }
        }

        sql.Append("\nFROM entity e");
        for (var i = 0; i < request.Views.Count; i++)
        {
            if (streams[i] is not null || ranked[i])
            {
                var alias = streams[i] is not null ? $"a_{i}" : $"r_{i}";
                sql.Append(CultureInfo.InvariantCulture, $"\nLEFT JOIN {alias} ON {alias}.{RowColumn} = e.{RowColumn}");
            }
            else
            {
                // ASOF picks, per entity row, the latest source row at or before T; with a created column it orders
                // by (event time, created time), so ties on event time go to the latest created time within the
                // join's own sort, which spills, instead of a deduplicating window over every source row first. If
                // even that row is older than T - ttl every qualifying row is, so the TTL only nulls the answer.
                var inequality = orderedByCreated[i]
                    ? $"e.{ProbeColumn} >= s_{i}.{DuckDbViewSourceSql.AsOfOrderColumn}"
                    : $"e.{TimeColumn} >= s_{i}.{DuckDbViewSourceSql.EventColumn}";
                var on = KeyConditions(request.Views[i], $"s_{i}").Append(inequality);
                sql.Append(CultureInfo.InvariantCulture, $"\nASOF LEFT JOIN src_{i} s_{i} ON {string.Join(" AND ", on)}");
            }
        }

        return sql.Append(CultureInfo.InvariantCulture, $"\nORDER BY e.{RowColumn}").ToString();
    }

    // Whether a source row counts depends on T through its created time too, so the latest event time alone (what
    // ASOF finds) may be the wrong row: rank every qualifying row per entity row instead.
    private static string WindowCte(int i, PointInTimeView view)
    {
        var features = string.Join(", ", view.Features.Select((_, f) => $"s.{DuckDbViewSourceSql.FeatureAlias(f)}"));
        var on = KeyConditions(view, "s")
            .Append($"s.{DuckDbViewSourceSql.EventColumn} <= e.{TimeColumn}")
            .Append($"s.{DuckDbViewSourceSql.CreatedColumn} <= e.{TimeColumn}");
        if (view.View.Ttl > TimeSpan.Zero)
        {
            on = on.Append($"s.{DuckDbViewSourceSql.EventColumn} >= {TtlBound(view)}");
        }

        return $"""
            r_{i} AS (
                SELECT e.{RowColumn}{(features.Length > 0 ? ", " + features : "")}
                FROM entity e JOIN src_{i} s ON {string.Join(" AND ", on)}
                QUALIFY row_number() OVER (PARTITION BY e.{RowColumn}
                    ORDER BY s.{DuckDbViewSourceSql.EventColumn} DESC, s.{DuckDbViewSourceSql.CreatedColumn} DESC) = 1
            )
            """;
    }

    private static IEnumerable<string> KeyConditions(PointInTimeView view, string alias) =>
        view.JoinKeys.Select((key, k) => $"e.{DuckDbSql.Quote(key)} = {alias}.{DuckDbViewSourceSql.KeyAlias(k)}");

    private static string TtlGuarded(PointInTimeView view, string alias, int f) =>
        view.View.Ttl > TimeSpan.Zero
            ? $"CASE WHEN {alias}.{DuckDbViewSourceSql.EventColumn} >= {TtlBound(view)} THEN {alias}.{DuckDbViewSourceSql.FeatureAlias(f)} END"
            : $"{alias}.{DuckDbViewSourceSql.FeatureAlias(f)}";

    // Microseconds: the precision of every Granary timestamp, and no calendar arithmetic (a day is 86 400 s).
    private static string TtlBound(PointInTimeView view)
    {
        var micros = view.View.Ttl.Ticks / TimeSpan.TicksPerMicrosecond;
        return $"e.{TimeColumn} - to_microseconds(CAST({micros.ToString(CultureInfo.InvariantCulture)} AS BIGINT))";
    }
}

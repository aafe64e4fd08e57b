using System.Globalization;
using System.Text;
using Granary.Offline.Retrieval;

namespace Granary.Offline.Postgres;

/// <summary>
/// Turns a <see cref="PointInTimeRequest"/> into one PostgreSQL statement, so that the join runs inside the database.
/// Shape: the entity rows, each kept whole as one record (<c>__granary_rec</c>) beside its number, its time as
/// TIMESTAMPTZ and its join keys; per view the set-based join of <see cref="PostgresViewJoin"/>; the record expanded
/// back into the entity's own columns, ordered by the row number.
/// </summary>
/// <remarks>
/// Keeping the entity row as a record is what lets the statement return exactly the entity's columns without
/// knowing them (PostgreSQL has no <c>SELECT * EXCLUDE</c>). Internal names all start with <c>__granary_</c>.
/// The entity rows are a <c>MATERIALIZED</c> CTE: every view reads them, and they are numbered once.
/// </remarks>
internal static class PostgresPointInTimeQuery
{
    /// <summary>The temp table a file entity table is loaded into.</summary>
    public const string EntityTempTable = "pg_temp.\"__granary_entities\"";

    /// <summary>The column of <see cref="EntityTempTable"/> holding each row's position in the file.</summary>
    public const string InputRowColumn = "__granary_input_row";

    /// <summary>The entity rows' CTE.</summary>
    internal const string Entity = "\"__granary_e\"";

    /// <summary>The entity row's number (output order) in <see cref="Entity"/>.</summary>
    internal const string Row = "\"__granary_row\"";

    /// <summary>The entity row's time as TIMESTAMPTZ in <see cref="Entity"/>.</summary>
    internal const string Time = "\"__granary_ts\"";

    private const string Input = "\"__granary_in\"";
    private const string Record = "\"__granary_rec\"";

    /// <summary>
    /// The SELECT statement answering <paramref name="request"/>; rows come out in entity-table order.
    /// <paramref name="fileColumns"/> are the columns of a file entity table (loaded into <see cref="EntityTempTable"/>).
    /// </summary>
    public static string Build(PointInTimeRequest request, IReadOnlyList<string>? fileColumns)
    {
        ArgumentNullException.ThrowIfNull(request);
        var outputNames = FeatureColumnNames.Of(request);
        var joins = new List<IPostgresViewPart>();
        var keys = new List<string>();
        for (var i = 0; i < request.Views.Count; i++)
        {
            if (request.Views[i].Features.Count == 0)
            {
                continue;
            }

            // A stream view aggregates its logged events over windows; any other view takes its latest row.
            joins.Add(StreamViewQuery.Of(request.Views[i]) is { } stream
                ? new PostgresWindowedAggregationJoin(i, stream, keys)
                : new PostgresViewJoin(i, request.Views[i], request.FilterByCreatedTimestamp, keys));
        }

        var timestamp = PostgresSql.Quote(EntityTable.TimestampColumn);
        var keyColumns = string.Concat(keys.Select((key, k) => $",\n        {Input}.{PostgresSql.Quote(key)} AS {PostgresViewJoin.KeyColumn(k)}"));
        var sql = new StringBuilder();
        sql.Append(CultureInfo.InvariantCulture, $"""
            WITH {Entity} AS MATERIALIZED (
                SELECT {EntityRecord(request.Entities, fileColumns)},
                    CAST({Input}.{timestamp} AS timestamptz) AS {Time}{keyColumns}
                FROM {EntityFrom(request.Entities, fileColumns)}
            )
            """);
        foreach (var join in joins)
        {
            sql.Append(",\n").Append(join.Ctes());
        }

        sql.Append(CultureInfo.InvariantCulture, $"\nSELECT ({Entity}.{Record}).*");
        var n = 0;
        for (var i = 0; i < request.Views.Count; i++)
        {
            for (var f = 0; f < request.Views[i].Features.Count; f++)
            {
                sql.Append(CultureInfo.InvariantCulture, $", {PostgresViewJoin.FeatureColumn(i, f)} AS {PostgresSql.Quote(outputNames[n++])}");
            }
        }

        sql.Append(CultureInfo.InvariantCulture, $"\nFROM {Entity}");
        foreach (var join in joins)
        {
            sql.Append('\n').Append(join.Joins());
        }

        return sql.Append(CultureInfo.InvariantCulture, $"\nORDER BY {Entity}.{Row}").ToString();
    }

    // A relation or query is numbered in the order PostgreSQL reads it (the query's ORDER BY, if it has one); a file
    // was numbered while it was loaded, and a lateral row of its own columns leaves the number out of the record.
    private static string EntityRecord(EntityTable entities, IReadOnlyList<string>? fileColumns) =>
        entities.Kind == EntityTableKind.File && fileColumns is not null
            ? $"\"__granary_cols\" AS {Record}, {Input}.{PostgresSql.Quote(InputRowColumn)} AS {Row}"
            : $"{Input} AS {Record}, row_number() OVER () AS {Row}";

    private static string EntityFrom(EntityTable entities, IReadOnlyList<string>? fileColumns) => entities.Kind switch
    {
        EntityTableKind.Relation => $"{PostgresSql.QualifiedName(entities.Text)} AS {Input}",
        EntityTableKind.Query => $"({entities.Text}) AS {Input}",
        _ => $"{EntityTempTable} AS {Input} CROSS JOIN LATERAL (SELECT " +
            string.Join(", ", (fileColumns ?? []).Select(c => $"{Input}.{PostgresSql.Quote(c)}")) +
            ") AS \"__granary_cols\"",
    };
}

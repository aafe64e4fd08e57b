using System.Globalization;
using System.Text;
using Granary.Offline.Retrieval;

namespace Granary.Offline.Postgres;

/// <summary>
/// Turns a <see cref="PointInTimeRequest"/> into one PostgreSQL statement, so that the join runs inside the database.
/// Shape: the entity rows, each kept whole as one record (<c>__granary_rec</c>) beside its number and its time as
/// TIMESTAMPTZ; per view a <c>LEFT JOIN LATERAL (... ORDER BY event DESC, created DESC NULLS LAST LIMIT 1)</c>;
/// the record expanded back into the entity's own columns, ordered by the row number.
/// </summary>
/// <remarks>
/// Keeping the entity row as a record is what lets the statement return exactly the entity's columns without
/// knowing them (PostgreSQL has no <c>SELECT * EXCLUDE</c>). Internal names all start with <c>__granary_</c>.
/// The lateral subquery reads the source directly, not through a CTE, so PostgreSQL can use an index on
/// (join keys, event timestamp) of a source table: with one, each lookup is a short index scan.
/// </remarks>
internal static class PostgresPointInTimeQuery
{
    /// <summary>The temp table a file entity table is loaded into.</summary>
    public const string EntityTempTable = "pg_temp.\"__granary_entities\"";

    /// <summary>The column of <see cref="EntityTempTable"/> holding each row's position in the file.</summary>
    public const string InputRowColumn = "__granary_input_row";

    private const string Entity = "\"__granary_e\"";
    private const string Input = "\"__granary_in\"";
    private const string Record = "\"__granary_rec\"";
    private const string Row = "\"__granary_row\"";
    private const string Time = "\"__granary_ts\"";
    private const string Source = "\"__granary_s\"";

    /// <summary>
    /// The SELECT statement answering <paramref name="request"/>; rows come out in entity-table order.
    /// <paramref name="fileColumns"/> are the columns of a file entity table (loaded into <see cref="EntityTempTable"/>).
    /// </summary>
    public static string Build(PointInTimeRequest request, IReadOnlyList<string>? fileColumns)
    {
        ArgumentNullException.ThrowIfNull(request);
        var outputNames = PointInTimeQuery.OutputNames(request);
        var sql = new StringBuilder();
        var timestamp = PostgresSql.Quote(EntityTable.TimestampColumn);
        sql.Append(CultureInfo.InvariantCulture, $"""
            WITH {Entity} AS (
                SELECT {EntityRecord(request.Entities, fileColumns)},
                    CAST({Input}.{timestamp} AS timestamptz) AS {Time}
                FROM {EntityFrom(request.Entities, fileColumns)}
            )
            SELECT ({Entity}.{Record}).*
            """);
        var n = 0;
        for (var i = 0; i < request.Views.Count; i++)
        {
            for (var f = 0; f < request.Views[i].Features.Count; f++)
            {
                sql.Append(CultureInfo.InvariantCulture, $", \"__granary_r{i}\".\"__f{f}\" AS {PostgresSql.Quote(outputNames[n++])}");
            }
        }

        sql.Append(CultureInfo.InvariantCulture, $"\nFROM {Entity}");
        for (var i = 0; i < request.Views.Count; i++)
        {
            if (request.Views[i].Features.Count > 0)
            {
                sql.Append('\n').Append(Lateral(i, request.Views[i], request.FilterByCreatedTimestamp));
            }
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

    private static string Lateral(int i, PointInTimeView view, bool filterByCreatedTimestamp)
    {
        var source = view.Source;
        string Column(string logicalName) => $"{Source}.{PostgresSql.Quote(source.SourceColumnFor(logicalName))}";

        var features = view.Features.Select((feature, f) => $"{Column(feature)} AS \"__f{f}\"");
        var eventColumn = Column(source.TimestampField);
        var conditions = view.JoinKeys
            .Select(key => $"{Column(key)} = ({Entity}.{Record}).{PostgresSql.Quote(key)}")
            .Append($"{eventColumn} <= {Entity}.{Time}")
            .ToList();
        if (view.View.Ttl > TimeSpan.Zero)
        {
            // Microseconds: the precision of every Granary timestamp, and no calendar arithmetic (a day is 86 400 s).
            var micros = view.View.Ttl.Ticks / TimeSpan.TicksPerMicrosecond;
            conditions.Add($"{eventColumn} >= {Entity}.{Time} - INTERVAL '{micros.ToString(CultureInfo.InvariantCulture)} microseconds'");
        }

        var order = $"{eventColumn} DESC";
        if (!string.IsNullOrEmpty(source.CreatedTimestampColumn))
        {
            var created = Column(source.CreatedTimestampColumn);
            order += $", {created} DESC NULLS LAST";
            if (filterByCreatedTimestamp)
            {
                conditions.Add($"{created} <= {Entity}.{Time}");
            }
        }

        return $"""
            LEFT JOIN LATERAL (
                SELECT {string.Join(", ", features)}
                FROM {PostgresSql.SourceRelation(source, view.View.Name)} AS {Source}
                WHERE {string.Join("\n        AND ", conditions)}
                ORDER BY {order}
                LIMIT 1
            ) AS "__granary_r{i}" ON true
            """;
    }
}

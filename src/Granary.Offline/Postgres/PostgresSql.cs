using System.Text;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Sources;

namespace Granary.Offline.Postgres;

/// <summary>SQL text shared by everything that reads sources through PostgreSQL.</summary>
internal static class PostgresSql
{
    /// <summary>A double-quoted identifier, inner quotes doubled.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// A possibly schema-qualified name with each part quoted: <c>sales.orders</c> becomes <c>"sales"."orders"</c>.
    /// A part already written in double quotes keeps its dots (<c>"my.schema".t</c>). Quoting keeps each part's case
    /// exactly as written, so the name means the same whatever PostgreSQL would have folded it to.
    /// </summary>
    public static string QualifiedName(string name)
    {
        var parts = new List<string>();
        var part = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '"')
            {
                if (quoted && i + 1 < name.Length && name[i + 1] == '"')
                {
                    part.Append('"');
                    i++;
                }
                else
                {
                    quoted = !quoted;
                }
            }
            else if (c == '.' && !quoted)
            {
                parts.Add(part.ToString());
                part.Clear();
            }
            else
            {
                part.Append(c);
            }
        }

        parts.Add(part.ToString());
        if (quoted || parts.Exists(string.IsNullOrWhiteSpace))
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"'{name}' is not a valid PostgreSQL relation name.");
        }

        return string.Join(".", parts.Select(p => Quote(p.Trim())));
    }

    /// <summary>
    /// The SQL that follows <c>FROM</c> to read <paramref name="source"/>: the quoted table, or the query as a
    /// subquery. A file source cannot be read: PostgreSQL has no access to the machine's files.
    /// </summary>
    public static string SourceRelation(BatchSource source, string viewName) => source switch
    {
        PostgresSource { Table: { Length: > 0 } table } => QualifiedName(table),
        QuerySource query => query.Sql(postgres: true, input => SourceRelation(input, query.Name)),
        PostgresSource { Query: { Length: > 0 } query } => $"({query.Trim().TrimEnd(';')})",
        PostgresSource => throw new GranaryException(
            ErrorCodes.InvalidArgument,
            $"PostgreSQL source '{source.Name}' of feature view '{viewName}' sets neither 'table' nor 'query'."),
        _ => throw new GranaryException(
            ErrorCodes.InvalidArgument,
            $"Feature view '{viewName}' reads {source.SourceType} source '{source.Name}', but the PostgreSQL offline engine " +
            "cannot read files; load the data into a PostgreSQL table or use offline_store: {type: duckdb}."),
    };

    /// <summary>How a source is named in messages.</summary>
    public static string Describe(PostgresSource source) =>
        source.Table is { Length: > 0 } table ? $"Source '{source.Name}' (table {table})" : $"Source '{source.Name}' (query)";
}

using System.Globalization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Sources;
using Npgsql;

namespace Granary.Offline.Postgres;

/// <summary>
/// Looks for the index a point-in-time join over a PostgreSQL table source can use: one whose leading columns are the
/// join keys (in any order) followed by the event time. Tables below <see cref="LargeTableRows"/> rows, by the
/// planner's own estimate, are left alone: their sort costs little. Query sources are not looked at.
/// </summary>
internal sealed class PostgresIndexAdvisor(NpgsqlDataSource dataSource)
{
    /// <summary>The estimated row count from which a table without the index gets a warning.</summary>
    public const long LargeTableRows = 100_000;

    // reltuples is -1 until the table is first analyzed; its size then stands in, at a generous 100 bytes a row.
    private const string RowsSql = """
        SELECT CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint ELSE pg_relation_size(c.oid) / 100 END
        FROM pg_class c
        WHERE c.oid = to_regclass(@name)
        """;

    // One row per usable index: its column names in order. Expression columns (attnum 0) come back as empty names,
    // so later columns keep their positions.
    private const string IndexesSql = """
        SELECT ARRAY(
            SELECT coalesce(a.attname::text, '')
            FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
            LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            ORDER BY k.n)
        FROM pg_index i
        WHERE i.indrelid = to_regclass(@name) AND i.indisvalid AND i.indpred IS NULL
        """;

    public async Task<MissingIndex?> FindMissingIndexAsync(
        BatchSource source, IReadOnlyList<string> keyColumns, string timestampColumn, CancellationToken cancellationToken)
    {
        if (source is not PostgresSource { Table: { Length: > 0 } table } postgres)
        {
            return null;
        }

        var relation = PostgresSql.QualifiedName(table);
        long? rows;
        var indexes = new List<string[]>();
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using (var count = new NpgsqlCommand(RowsSql, connection))
            {
                count.Parameters.AddWithValue("name", relation);
                rows = (long?)await count.ExecuteScalarAsync(cancellationToken);
            }

            await using var command = new NpgsqlCommand(IndexesSql, connection);
            command.Parameters.AddWithValue("name", relation);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                indexes.Add(reader.GetFieldValue<string[]>(0));
            }
        }
        catch (NpgsqlException e)
        {
            throw new GranaryException(ErrorCodes.SourceUnavailable, $"{PostgresSql.Describe(postgres)}: its indexes cannot be read ({e.Message}).", e);
        }

        // No such table: the column checks report that.
        if (rows is null)
        {
            return null;
        }

        if (rows < LargeTableRows || indexes.Exists(index => Serves(index, keyColumns, timestampColumn)))
        {
            return null;
        }

        var columns = string.Join(", ", keyColumns.Append(timestampColumn).Select(PostgresSql.Quote));
        return new MissingIndex(table, rows.Value, string.Create(CultureInfo.InvariantCulture, $"CREATE INDEX ON {relation} ({columns});"));
    }

    // The keys first, in any order (the join compares them all for equality), then the event time.
    private static bool Serves(string[] index, IReadOnlyList<string> keys, string timestamp)
    {
        if (index.Length < keys.Count + 1 || index[keys.Count] != timestamp)
        {
            return false;
        }

        var leading = new HashSet<string>(index.Take(keys.Count), StringComparer.Ordinal);
        return leading.SetEquals(keys);
    }
}

using DuckDB.NET.Data;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Sources;

namespace Granary.Offline.DuckDb;

/// <summary>The columns a derived feature view's query returns, as DuckDB plans it (<c>DESCRIBE</c>: no row is read).</summary>
internal static class DuckDbQuerySchema
{
    public static async Task<SourceSchema> DescribeAsync(QuerySource query, string repositoryRoot, CancellationToken cancellationToken)
    {
        var relation = DuckDbSql.SourceRelation(query, repositoryRoot)!;
        await using var connection = await DuckDbConnections.OpenInMemoryAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"DESCRIBE SELECT * FROM {relation} AS __derived";
        var columns = new List<SourceColumn>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var nameOrdinal = reader.GetOrdinal("column_name");
            var typeOrdinal = reader.GetOrdinal("column_type");
            while (await reader.ReadAsync(cancellationToken))
            {
                columns.Add(new SourceColumn(reader.GetString(nameOrdinal), reader.GetString(typeOrdinal)));
            }
        }
        catch (DuckDBException e)
        {
            // The engine's first line says what is wrong; the rest repeats the expanded SQL, which the user never wrote.
            var newline = e.Message.IndexOf('\n', StringComparison.Ordinal);
            var reason = (newline < 0 ? e.Message : e.Message[..newline]).Trim();
            throw new GranaryException(ErrorCodes.InvalidDefinition, $"The query of derived feature view '{query.Name}' does not run: {reason}", e);
        }

        return new SourceSchema(columns);
    }
}

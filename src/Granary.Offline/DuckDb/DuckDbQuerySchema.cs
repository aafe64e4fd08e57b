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
        try
        {
            return new SourceSchema(await DuckDbDescribe.ColumnsAsync($"{relation} AS __derived", cancellationToken));
        }
        catch (DuckDBException e)
        {
            throw new GranaryException(ErrorCodes.InvalidDefinition, $"The query of derived feature view '{query.Name}' does not run: {DuckDbDescribe.FirstLine(e.Message)}", e);
        }
    }
}

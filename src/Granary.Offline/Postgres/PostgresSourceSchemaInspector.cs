using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Core.Model;
using Granary.Core.Sources;
using Npgsql;

namespace Granary.Offline.Postgres;

/// <summary>
/// Reads the columns of PostgreSQL sources: the source is planned with <c>LIMIT 0</c> and the columns read off the
/// result's description, so a table and a query are inspected the same way and no row is read. Other kinds of
/// source are left to the inspectors that can reach them.
/// </summary>
internal sealed class PostgresSourceSchemaInspector(NpgsqlDataSource dataSource)
{
    public async Task<SourceSchema?> InspectAsync(BatchSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source is not PostgresSource postgres)
        {
            return null;
        }

        var relation = PostgresSql.SourceRelation(postgres, "(inspected)");

        // Only a statement can run out of time; a connection attempt that times out is an unreachable server.
        var opened = false;
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            opened = true;
            await using var command = new NpgsqlCommand($"SELECT * FROM {relation} AS \"__granary_s\" LIMIT 0", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var columns = (await reader.GetColumnSchemaAsync(cancellationToken))
                .Select(c => new SourceColumn(c.ColumnName, c.DataTypeName ?? "unknown"))
                .ToList();
            return new SourceSchema(columns);
        }
        catch (NpgsqlException e) when (opened && PostgresTimeouts.Translate(e, $"the inspection of source '{postgres.Name}'", new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).CommandTimeout) is { } timeout)
        {
            throw timeout;
        }
        catch (PostgresException e)
        {
            throw new GranaryException(
                ErrorCodes.SourceUnavailable,
                $"{PostgresSql.Describe(postgres)} cannot be read from PostgreSQL: {e.MessageText}. Check its 'table' or 'query'.",
                e);
        }
        catch (NpgsqlException e)
        {
            throw new GranaryException(
                ErrorCodes.SourceUnavailable,
                $"{PostgresSql.Describe(postgres)} cannot be read: the PostgreSQL offline store is unreachable ({e.Message}).",
                e);
        }
    }
}

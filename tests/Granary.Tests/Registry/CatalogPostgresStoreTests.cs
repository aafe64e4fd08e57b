using Granary.Registry.Storage;
using Granary.Tests.Infrastructure;
using Npgsql;

namespace Granary.Tests.Registry;

/// <summary>The catalog contract on a fresh database of the shared PostgreSQL test server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class CatalogPostgresStoreTests(PostgresServer server) : CatalogStoreContract
{
    protected override (string Timestamp, string Json) ColumnTypes => ("timestamptz", "jsonb");

    protected override async Task<RegistryLocation> CreateLocationAsync()
    {
        var connectionString = await server.CreateDatabaseAsync();
        return new RegistryLocation(() => new PostgresRegistryStore(connectionString), sql => ScalarAsync(connectionString, sql));
    }

    protected override IRegistryStore CreateUnreachableStore() => new PostgresRegistryStore(new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = LoopbackPorts.Free(),
        Username = PostgresServer.User,
        Database = "granary_nowhere",
        Timeout = 5,
    }.ToString());

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}

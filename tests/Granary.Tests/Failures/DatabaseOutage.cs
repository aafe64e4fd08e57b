using Granary.Tests.Infrastructure;
using Npgsql;

namespace Granary.Tests.Failures;

/// <summary>
/// Takes one test database of the shared PostgreSQL server away and gives it back, as an outage would, without
/// stopping the server the other tests use: the database refuses new connections and its backends are terminated
/// (pooled connections then fail on their next use).
/// </summary>
internal static class DatabaseOutage
{
    public static string DatabaseOf(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Database!;

    public static async Task BeginAsync(PostgresServer server, string connectionString)
    {
        var database = DatabaseOf(connectionString);
        await AdminAsync(server, $"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS false");
        await TerminateAsync(server, $"datname = '{database}'");
    }

    public static Task EndAsync(PostgresServer server, string connectionString) =>
        AdminAsync(server, $"ALTER DATABASE \"{DatabaseOf(connectionString)}\" ALLOW_CONNECTIONS true");

    /// <summary>Terminates the backends that match <paramref name="where"/> (over pg_stat_activity); returns how many.</summary>
    public static async Task<int> TerminateAsync(PostgresServer server, string where)
    {
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND {where}", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task AdminAsync(PostgresServer server, string sql)
    {
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Registry.Storage;
using Granary.Tests.Infrastructure;
using Npgsql;

namespace Granary.Tests.Registry;

/// <summary>The registry contract on a fresh database of the shared test server, plus what is particular to PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRegistryStoreTests(PostgresServer server) : RegistryStoreContract
{
    private const string Password = "hunter2-not-for-errors";

    [Fact]
    public async Task Unreachable_registry_error_never_shows_the_password()
    {
        var store = Track(CreateUnreachableStore().Store);

        var error = await Assert.ThrowsAsync<GranaryException>(() => store.LoadAsync("shop"));

        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_database_is_reported_as_unavailable()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Database = "granary_no_such_db" }.ToString();
        await using var store = new PostgresRegistryStore(connectionString);

        var error = await Assert.ThrowsAsync<GranaryException>(() => store.InitializeAsync());

        Assert.Equal(ErrorCodes.RegistryUnavailable, error.Code);
        Assert.Contains("granary_no_such_db", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_changes_are_stored_as_a_json_array_of_kind_name_action_and_hashes()
    {
        var connectionString = await server.CreateDatabaseAsync();
        await using (var store = new PostgresRegistryStore(connectionString))
        {
            await store.InitializeAsync();
            await store.ApplyAsync(new ApplyRequest(
                "shop",
                0,
                [new ObjectChange(Granary.Core.Model.ObjectKind.DataSource, "trips", ChangeAction.Add, "{}", "abc", null)],
                "{}",
                "tester@ci",
                DateTimeOffset.UnixEpoch));
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT jsonb_typeof(changes), changes->0->>'kind', changes->0->>'name', changes->0->>'action', changes->0->>'new_hash', changes->0 ? 'new_spec' FROM granary_registry_history",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("array", "data_source", "trips", "add", "abc", false), (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetBoolean(5)));
    }

    protected override async Task<Func<IRegistryStore>> CreateLocationAsync()
    {
        var connectionString = await server.CreateDatabaseAsync();
        return () => new PostgresRegistryStore(connectionString);
    }

    protected override (IRegistryStore Store, string[] MessageMustName) CreateUnreachableStore()
    {
        // A port nothing listens on: the connection is refused at once.
        var port = LoopbackPorts.Free();
        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = PostgresServer.User,
            Password = Password,
            Database = "granary_nowhere",
            Timeout = 5,
        }.ToString();
        return (new PostgresRegistryStore(connectionString), ["127.0.0.1", $"port {port}", "granary_nowhere"]);
    }
}

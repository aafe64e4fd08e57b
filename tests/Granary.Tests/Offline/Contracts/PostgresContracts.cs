using Granary.Core.Model;
using Granary.Offline;
using Granary.Offline.Postgres;
using Granary.Tests.Infrastructure;
using Granary.Tests.Offline.Retrieval;
using Npgsql;

namespace Granary.Tests.Offline.Contracts;

// The PostgreSQL engine runs the contract of every capability it has, each test in a database of its own; its sources
// are tables (Parquet views) and queries (CSV views, with naive times).

[Collection(PostgresCollection.Name)]
[ContractEngine(typeof(PostgresOfflineEngine))]
public sealed class PostgresPointInTimeReaderTests(PostgresServer server) : PointInTimeReaderContract
{
    private string _connectionString = "";

    protected override int Scenarios => 200;

    protected override async Task<IOfflineEngine> CreateEngineAsync()
    {
        _connectionString = await server.CreateDatabaseAsync();
        return new PostgresOfflineEngine(_connectionString);
    }

    protected override Task<List<object?[]>> RunAsync(string root, IReadOnlyList<PitEntityRow> entities, IReadOnlyList<PitView> views, bool fullNames, bool filterByCreated) =>
        PostgresPitScenario.RunEngineAsync(Capability, _connectionString, root, entities, views, fullNames, filterByCreated);
}

[Collection(PostgresCollection.Name)]
[ContractEngine(typeof(PostgresOfflineEngine))]
public sealed class PostgresLatestValuesReaderTests(PostgresServer server) : LatestValuesReaderContract
{
    private readonly PostgresContractDatabase _database = new(server);

    protected override Task<IOfflineEngine> CreateEngineAsync() => _database.CreateEngineAsync();

    protected override Task<BatchSource> CreateSourceAsync(PitView view) => _database.CreateSourceAsync(view);
}

[Collection(PostgresCollection.Name)]
[ContractEngine(typeof(PostgresOfflineEngine))]
public sealed class PostgresStreamEventReaderTests(PostgresServer server) : StreamEventReaderContract
{
    private readonly PostgresContractDatabase _database = new(server);

    protected override Task<IOfflineEngine> CreateEngineAsync() => _database.CreateEngineAsync();

    protected override Task<BatchSource> CreateSourceAsync(PitView view) => _database.CreateSourceAsync(view);
}

[Collection(PostgresCollection.Name)]
[ContractEngine(typeof(PostgresOfflineEngine))]
public sealed class PostgresPushLogTests(PostgresServer server) : PushLogContract
{
    private readonly PostgresContractDatabase _database = new(server);

    protected override Task<IOfflineEngine> CreateEngineAsync() => _database.CreateEngineAsync();

    protected override Task<BatchSource> CreateSourceAsync(PitView view) => _database.CreateSourceAsync(view);
}

[Collection(PostgresCollection.Name)]
[ContractEngine(typeof(PostgresOfflineEngine))]
public sealed class PostgresSourceSchemaInspectorContractTests(PostgresServer server) : SourceSchemaInspectorContract
{
    private readonly PostgresContractDatabase _database = new(server);

    protected override Task<IOfflineEngine> CreateEngineAsync() => _database.CreateEngineAsync();

    protected override Task<BatchSource> CreateSourceAsync(PitView view) => _database.CreateSourceAsync(view);

    protected override BatchSource MissingSource() => new PostgresSource { Name = "missing_source", Table = "missing", TimestampField = "ts" };

    protected override BatchSource ForeignSource() =>
        new FileSource { Name = "file_source", Path = "features.parquet", Format = FileFormat.Parquet, TimestampField = "ts" };
}

[Collection(PostgresCollection.Name)]
[ContractEngine(typeof(PostgresOfflineEngine))]
public sealed class PostgresSourceIndexAdvisorTests(PostgresServer server) : SourceIndexAdvisorContract
{
    private readonly PostgresContractDatabase _database = new(server);

    protected override Task<IOfflineEngine> CreateEngineAsync() => _database.CreateEngineAsync();

    protected override async Task<BatchSource> CreateSourceAsync(string name, long rows)
    {
        await ExecuteAsync($"""
            CREATE TABLE {name} (user_id bigint, ts timestamptz, visits bigint);
            INSERT INTO {name} SELECT i % 1000, TIMESTAMPTZ '2026-11-01 00:00+00' + i * INTERVAL '1 second', i FROM generate_series(1, {rows}) i;
            ANALYZE {name};
            """);
        return new PostgresSource { Name = name + "_source", Table = name, TimestampField = "ts" };
    }

    protected override Task ExecuteAsync(string statement) => _database.ExecuteAsync(statement);
}

/// <summary>A database of one test's own, and the sources the contracts ask for in it.</summary>
internal sealed class PostgresContractDatabase(PostgresServer server)
{
    private string _connectionString = "";
    private int _tables;

    public async Task<IOfflineEngine> CreateEngineAsync()
    {
        _connectionString = await server.CreateDatabaseAsync();
        return new PostgresOfflineEngine(_connectionString);
    }

    public async Task<BatchSource> CreateSourceAsync(PitView view)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        return await PostgresPitScenario.CreateSourceAsync(connection, $"source_{++_tables}", view);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await PostgresPitScenario.ExecuteAsync(connection, sql);
    }
}

[Collection(PostgresCollection.Name)]
[ContractEngine(typeof(PostgresOfflineEngine))]
public sealed class PostgresProfilerTests(PostgresServer server) : ProfilerContract
{
    private readonly PostgresContractDatabase _database = new(server);
    private int _tables;

    protected override Task<IOfflineEngine> CreateEngineAsync() => _database.CreateEngineAsync();

    protected override async Task<BatchSource> CreateSourceAsync(IReadOnlyList<Granary.Tests.Quality.Profiles.ProfileRow> rows)
    {
        var table = $"activity_{++_tables}";
        await _database.ExecuteAsync($"CREATE TABLE {table} AS {Granary.Tests.Quality.Profiles.ProfileRow.ValuesSelect(rows, "double precision", "text")}");
        return new PostgresSource { Name = "activity_source", Table = table, TimestampField = "ts" };
    }
}

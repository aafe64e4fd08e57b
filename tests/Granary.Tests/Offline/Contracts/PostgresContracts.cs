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
[Collection(PostgresCollection.Name)]
[ContractEngine(typeof(PostgresOfflineEngine))]
public sealed class PostgresServingLogTests(PostgresServer server) : ServingLogContract
{
    private readonly PostgresContractDatabase _database = new(server);

    protected override Task<IOfflineEngine> CreateEngineAsync() => _database.CreateEngineAsync();
}

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

    /// <summary>The rows of <paramref name="select"/> as a table of their own, and a source <c>{prefix}_source</c> reading it with event time <c>ts</c>.</summary>
    public async Task<BatchSource> TableSourceAsync(string prefix, string select)
    {
        var table = $"{prefix}_{++_tables}";
        await ExecuteAsync($"CREATE TABLE {table} AS {select}");
        return new PostgresSource { Name = $"{prefix}_source", Table = table, TimestampField = "ts" };
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
    protected override Task<IOfflineEngine> CreateEngineAsync() => _database.CreateEngineAsync();

    protected override Task<BatchSource> CreateSourceAsync(IReadOnlyList<Granary.Tests.Quality.Profiles.ProfileRow> rows) =>
        _database.TableSourceAsync("activity", Granary.Tests.Quality.Profiles.ProfileRow.ValuesSelect(rows, "double precision", "text"));
}

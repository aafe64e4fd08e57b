using Granary.Core.Model;
using Granary.Offline;
using Granary.Offline.DuckDb;
using Granary.Offline.Postgres;
using Granary.Tests.Infrastructure;
using Granary.Tests.Quality.Profiles;

namespace Granary.Tests.Offline.Contracts;

[ContractEngine(typeof(DuckDbOfflineEngine))]
public sealed class DuckDbDriftSampleReaderTests : DriftSampleReaderContract
{
    private int _files;

    protected override Task<IOfflineEngine> CreateEngineAsync() => Task.FromResult<IOfflineEngine>(new DuckDbOfflineEngine());

    protected override async Task<BatchSource> CreateSourceAsync(IReadOnlyList<ProfileRow> rows)
    {
        var file = $"activity_{++_files}.parquet";
        await using var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"COPY ({ProfileRow.ValuesSelect(rows, "DOUBLE", "VARCHAR")}) TO {DuckDbSql.Literal(Path.Combine(Root, file))} (FORMAT parquet)";
        await command.ExecuteNonQueryAsync();
        return new FileSource { Name = "activity_source", Path = file, Format = FileFormat.Parquet, TimestampField = "ts" };
    }
}

[Collection(PostgresCollection.Name)]
[ContractEngine(typeof(PostgresOfflineEngine))]
public sealed class PostgresDriftSampleReaderTests(PostgresServer server) : DriftSampleReaderContract
{
    private readonly PostgresContractDatabase _database = new(server);
    private int _tables;

    protected override Task<IOfflineEngine> CreateEngineAsync() => _database.CreateEngineAsync();

    protected override async Task<BatchSource> CreateSourceAsync(IReadOnlyList<ProfileRow> rows)
    {
        var table = $"activity_{++_tables}";
        await _database.ExecuteAsync($"CREATE TABLE {table} AS {ProfileRow.ValuesSelect(rows, "double precision", "text")}");
        return new PostgresSource { Name = "activity_source", Table = table, TimestampField = "ts" };
    }
}

using Granary.Core.Model;
using Granary.Offline;
using Granary.Offline.DuckDb;
using Granary.Offline.Postgres;
using Granary.Tests.Infrastructure;
using Granary.Tests.Offline.Contracts;

namespace Granary.Tests.Quality.Rules;

[ContractEngine(typeof(DuckDbOfflineEngine))]
public sealed class DuckDbRuleEvaluatorTests : RuleEvaluatorContract
{
    private int _files;

    protected override Task<IOfflineEngine> CreateEngineAsync() => Task.FromResult<IOfflineEngine>(new DuckDbOfflineEngine());

    protected override async Task<BatchSource> CreateSourceAsync(IReadOnlyList<RuleRow> rows)
    {
        var file = $"ads_{++_files}.parquet";
        await using var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"COPY ({RuleRow.ValuesSelect(rows, "DOUBLE", "VARCHAR")}) TO {DuckDbSql.Literal(Path.Combine(Root, file))} (FORMAT parquet)";
        await command.ExecuteNonQueryAsync();
        return new FileSource { Name = "ads_source", Path = file, Format = FileFormat.Parquet, TimestampField = "ts" };
    }
}

[Collection(PostgresCollection.Name)]
[ContractEngine(typeof(PostgresOfflineEngine))]
public sealed class PostgresRuleEvaluatorTests(PostgresServer server) : RuleEvaluatorContract
{
    private readonly PostgresContractDatabase _database = new(server);
    private int _tables;

    protected override Task<IOfflineEngine> CreateEngineAsync() => _database.CreateEngineAsync();

    protected override async Task<BatchSource> CreateSourceAsync(IReadOnlyList<RuleRow> rows)
    {
        var table = $"ads_{++_tables}";
        await _database.ExecuteAsync($"CREATE TABLE {table} AS {RuleRow.ValuesSelect(rows, "double precision", "text")}");
        return new PostgresSource { Name = "ads_source", Table = table, TimestampField = "ts" };
    }
}

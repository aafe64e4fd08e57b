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
    protected override Task<IOfflineEngine> CreateEngineAsync() => Task.FromResult<IOfflineEngine>(new DuckDbOfflineEngine());

    protected override Task<BatchSource> CreateSourceAsync(IReadOnlyList<RuleRow> rows) =>
        ParquetFiles.FileSourceAsync(Root, "ads", RuleRow.ValuesSelect(rows, "DOUBLE", "VARCHAR"));
}

[Collection(PostgresCollection.Name)]
[ContractEngine(typeof(PostgresOfflineEngine))]
public sealed class PostgresRuleEvaluatorTests(PostgresServer server) : RuleEvaluatorContract
{
    private readonly PostgresContractDatabase _database = new(server);
    protected override Task<IOfflineEngine> CreateEngineAsync() => _database.CreateEngineAsync();

    protected override Task<BatchSource> CreateSourceAsync(IReadOnlyList<RuleRow> rows) =>
        _database.TableSourceAsync("ads", RuleRow.ValuesSelect(rows, "double precision", "text"));
}

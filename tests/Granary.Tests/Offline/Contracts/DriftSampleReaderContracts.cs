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
    protected override Task<IOfflineEngine> CreateEngineAsync() => Task.FromResult<IOfflineEngine>(new DuckDbOfflineEngine());

    protected override Task<BatchSource> CreateSourceAsync(IReadOnlyList<ProfileRow> rows) =>
        ParquetFiles.FileSourceAsync(Root, "activity", ProfileRow.ValuesSelect(rows, "DOUBLE", "VARCHAR"));
}

[Collection(PostgresCollection.Name)]
[ContractEngine(typeof(PostgresOfflineEngine))]
public sealed class PostgresDriftSampleReaderTests(PostgresServer server) : DriftSampleReaderContract
{
    private readonly PostgresContractDatabase _database = new(server);
    protected override Task<IOfflineEngine> CreateEngineAsync() => _database.CreateEngineAsync();

    protected override Task<BatchSource> CreateSourceAsync(IReadOnlyList<ProfileRow> rows) =>
        _database.TableSourceAsync("activity", ProfileRow.ValuesSelect(rows, "double precision", "text"));
}

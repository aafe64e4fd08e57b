using Granary.Core.Model;
using Granary.Offline;
using Granary.Offline.DuckDb;
using Granary.Tests.Infrastructure;
using Granary.Tests.Offline.Retrieval;

namespace Granary.Tests.Offline.Contracts;

// The DuckDB engine runs the contract of every capability it has; its sources are Parquet and CSV files.

[ContractEngine(typeof(DuckDbOfflineEngine))]
public sealed class DuckDbPointInTimeReaderTests : PointInTimeReaderContract
{
    protected override int Scenarios => 100;

    protected override Task<IOfflineEngine> CreateEngineAsync() => Task.FromResult<IOfflineEngine>(new DuckDbOfflineEngine());

    protected override Task<List<object?[]>> RunAsync(string root, IReadOnlyList<PitEntityRow> entities, IReadOnlyList<PitView> views, bool fullNames, bool filterByCreated) =>
        PitScenario.RunEngineAsync(Capability, root, entities, views, fullNames, filterByCreated);
}

[ContractEngine(typeof(DuckDbOfflineEngine))]
public sealed class DuckDbLatestValuesReaderTests : LatestValuesReaderContract
{
    protected override Task<IOfflineEngine> CreateEngineAsync() => Task.FromResult<IOfflineEngine>(new DuckDbOfflineEngine());

    protected override Task<BatchSource> CreateSourceAsync(PitView view) => PitScenario.WriteSourceAsync(Root, view);
}

[ContractEngine(typeof(DuckDbOfflineEngine))]
public sealed class DuckDbPushLogTests : PushLogContract
{
    protected override Task<IOfflineEngine> CreateEngineAsync() => Task.FromResult<IOfflineEngine>(new DuckDbOfflineEngine());

    protected override Task<BatchSource> CreateSourceAsync(PitView view) => PitScenario.WriteSourceAsync(Root, view);
}

[ContractEngine(typeof(DuckDbOfflineEngine))]
public sealed class DuckDbSourceSchemaInspectorContractTests : SourceSchemaInspectorContract
{
    protected override Task<IOfflineEngine> CreateEngineAsync() => Task.FromResult<IOfflineEngine>(new DuckDbOfflineEngine());

    protected override Task<BatchSource> CreateSourceAsync(PitView view) => PitScenario.WriteSourceAsync(Root, view);

    protected override BatchSource MissingSource() =>
        new FileSource { Name = "missing_source", Path = "missing.parquet", Format = FileFormat.Parquet, TimestampField = "ts" };

    protected override BatchSource ForeignSource() =>
        new PostgresSource { Name = "table_source", Table = "features", TimestampField = "ts" };
}

[ContractEngine(typeof(DuckDbOfflineEngine))]
public sealed class DuckDbStreamEventReaderTests : StreamEventReaderContract
{
    protected override Task<IOfflineEngine> CreateEngineAsync() => Task.FromResult<IOfflineEngine>(new DuckDbOfflineEngine());

    protected override Task<BatchSource> CreateSourceAsync(PitView view) => PitScenario.WriteSourceAsync(Root, view);
}

[ContractEngine(typeof(DuckDbOfflineEngine))]
public sealed class DuckDbProfilerTests : ProfilerContract
{
    protected override Task<IOfflineEngine> CreateEngineAsync() => Task.FromResult<IOfflineEngine>(new DuckDbOfflineEngine());

    protected override Task<BatchSource> CreateSourceAsync(IReadOnlyList<Granary.Tests.Quality.Profiles.ProfileRow> rows) =>
        ParquetFiles.FileSourceAsync(Root, "activity", Granary.Tests.Quality.Profiles.ProfileRow.ValuesSelect(rows, "DOUBLE", "VARCHAR"));
}

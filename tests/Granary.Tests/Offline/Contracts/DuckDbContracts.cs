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

[ContractEngine(typeof(DuckDbOfflineEngine))]
public sealed class DuckDbServingLogTests : ServingLogContract
{
    protected override Task<IOfflineEngine> CreateEngineAsync() => Task.FromResult<IOfflineEngine>(new DuckDbOfflineEngine());

    [Fact]
    public async Task Rows_are_kept_as_numbered_Parquet_parts_in_a_folder_per_day_and_retention_removes_whole_days()
    {
        await Capability.AppendAsync(Table, [Record(1, Day.AddHours(1), 1, 1.0, "a"), Record(2, Day.AddDays(1), 2, 2.0, "b")]);
        await Capability.AppendAsync(Table, [Record(3, Day.AddHours(2), 3, 3.0, "c")]);
        var folder = Path.Combine(Root, "data", "serving_log", "shop", "user_stats");

        Assert.Equal(
            ["date=2026-11-10/1.parquet", "date=2026-11-10/2.parquet", "date=2026-11-11/1.parquet"],
            Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).Order(StringComparer.Ordinal));

        Assert.Equal(1, await Capability.DeleteOlderThanAsync(Table, Day.AddDays(1).AddHours(12)));
        Assert.Equal(["date=2026-11-11"], Directory.EnumerateDirectories(folder).Select(Path.GetFileName));
    }
}

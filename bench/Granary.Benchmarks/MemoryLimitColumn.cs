using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Granary.Benchmarks;

/// <summary>
/// The DuckDB <c>memory_limit</c> each historical-retrieval case ran under: the Granary case may get less than the
/// references (<c>--granary-memory-limit</c>), and a ratio means little without saying so beside it.
/// </summary>
public sealed class MemoryLimitColumn : IColumn
{
    public string Id => nameof(MemoryLimitColumn);

    public string ColumnName => "memory_limit";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => -1;

    public bool IsNumeric => false;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "DuckDB memory_limit of the case's connection";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, SummaryStyle.Default);

    // Read in the host process, which set the same variables its child processes inherit.
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
        benchmarkCase.Descriptor.WorkloadMethod.Name == nameof(HistoricalRetrievalBenchmarks.Granary)
            ? BenchData.GranaryMemoryLimit()
            : BenchData.ReferenceMemoryLimit();

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}

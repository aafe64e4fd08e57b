using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Granary.Benchmarks;

/// <summary>
/// The peak resident set of the process that ran each case, read from the file its global cleanup wrote.
/// BenchmarkDotNet's memory diagnoser counts managed allocations only; DuckDB's memory is native.
/// </summary>
public sealed class PeakMemoryColumn(string peakDirectory) : IColumn
{
    public string Id => nameof(PeakMemoryColumn);

    public string ColumnName => "Peak RSS";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Size;

    public string Legend => "Peak resident set size (VmHWM) of the benchmark process over all its iterations";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var path = Path.Combine(peakDirectory, benchmarkCase.Descriptor.WorkloadMethod.Name + ".txt");
        if (!File.Exists(path))
        {
            return "?";
        }

        var bytes = long.Parse(File.ReadAllText(path), CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):F2} GiB");
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}

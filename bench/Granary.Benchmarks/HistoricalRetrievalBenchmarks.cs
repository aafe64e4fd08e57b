using System.Diagnostics;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using DuckDB.NET.Data;
using Granary.Core.Model;
using Granary.Offline.DuckDb;
using Granary.Offline.Retrieval;

namespace Granary.Benchmarks;

/// <summary>
/// A point-in-time join of the entity table against three views, written to Parquet: Granary's engine against
/// hand-written DuckDB <c>ASOF JOIN</c>s over the same files, on connections with the same settings.
/// </summary>
public class HistoricalRetrievalBenchmarks
{
    // One view keeps values for 30 days; the others forever, so both TTL paths of the engine run.
    private static readonly TimeSpan Ttl = TimeSpan.FromDays(30);

    private BenchData _data = null!;
    private PointInTimeRequest _request = null!;
    private string _referenceDedupSql = null!;
    private string _referenceNoDedupSql = null!;
    private DuckDBConnection? _connection;

    [GlobalSetup]
    public void Setup()
    {
        _data = BenchData.FromEnvironment();
        _request = BuildRequest(_data);
        _referenceDedupSql = ReferenceSql(_data, dedup: true);
        _referenceNoDedupSql = ReferenceSql(_data, dedup: false);
    }

    // A fresh database per iteration: nothing cached in DuckDB carries over, and opening it is not measured.
    // Granary may run under a memory limit of its own (--granary-memory-limit), the references under --memory-limit.
    [IterationSetup(Target = nameof(Granary))]
    public void OpenGranaryConnection() =>
        _connection = OpenConnectionAsync(_data, BenchData.GranaryMemoryLimit()).GetAwaiter().GetResult();

    [IterationSetup(Targets = new[] { nameof(ReferenceDedup), nameof(ReferenceNoDedup) })]
    public void OpenReferenceConnection() =>
        _connection = OpenConnectionAsync(_data, BenchData.ReferenceMemoryLimit()).GetAwaiter().GetResult();

    [IterationCleanup]
    public void CloseConnection()
    {
        _connection?.Dispose();
        _connection = null;
    }

    // Each case runs in its own process, so the peak resident set is that case's alone (the .NET runtime included).
    [GlobalCleanup]
    public void RecordPeakMemory()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Directory.CreateDirectory(_data.PeakDirectory);
        File.WriteAllText(
            Path.Combine(_data.PeakDirectory, CurrentCase + ".txt"),
            process.PeakWorkingSet64.ToString(CultureInfo.InvariantCulture));
    }

    // Set by each benchmark method, read by the cleanup that runs in the same process.
    private static string CurrentCase { get; set; } = "unknown";

    [Benchmark(Description = "Granary WriteToFileAsync")]
    public async Task Granary()
    {
        CurrentCase = nameof(Granary);
        await DuckDbHistoricalRetrieval.WriteToFileAsync(
            _connection!, _request, Path.Combine(_data.OutputDirectory, "granary.parquet"), FileFormat.Parquet);
    }

    [Benchmark(Baseline = true, Description = "DuckDB ASOF JOIN, created dedup")]
    public async Task ReferenceDedup()
    {
        CurrentCase = nameof(ReferenceDedup);
        await BenchData.ExecuteAsync(_connection!, _referenceDedupSql);
    }

    [Benchmark(Description = "DuckDB ASOF JOIN, no dedup")]
    public async Task ReferenceNoDedup()
    {
        CurrentCase = nameof(ReferenceNoDedup);
        await BenchData.ExecuteAsync(_connection!, _referenceNoDedupSql);
    }

    /// <summary>The settings every case runs under: Granary's own connection, plus a memory limit and spill folder.</summary>
    public static async Task<DuckDBConnection> OpenConnectionAsync(BenchData data, string memoryLimit)
    {
        var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync();
        await BenchData.ExecuteAsync(connection, $"SET memory_limit = {BenchData.Literal(memoryLimit)}");
        await BenchData.ExecuteAsync(connection, $"SET temp_directory = {BenchData.Literal(data.TempDirectory)}");
        return connection;
    }

    public static PointInTimeRequest BuildRequest(BenchData data)
    {
        var features = Enumerable.Range(0, BenchData.FeaturesPerView).Select(BenchData.FeatureName).ToList();
        var views = new List<PointInTimeView>();
        for (var v = 1; v <= BenchData.ViewCount; v++)
        {
            var view = new FeatureView
            {
                Name = $"view{v}",
                Entities = ["user"],
                Schema = [.. features.Select((name, f) => new Field(name, FeatureTypeOf(f)))],
                Ttl = v == 1 ? Ttl : TimeSpan.Zero,
                Source = $"view{v}_source",
            };
            var source = new FileSource
            {
                Name = $"view{v}_source",
                Path = data.ViewPath(v),
                Format = FileFormat.Parquet,
                TimestampField = "event_timestamp",
                CreatedTimestampColumn = "created",
            };
            views.Add(new PointInTimeView(view, source, ["user_id"], features));
        }

        return new PointInTimeRequest
        {
            Entities = EntityTable.FromFile(data.EntityPath),
            Views = views,
            RepositoryRoot = data.Directory,
            FullFeatureNames = true,
        };
    }

    /// <summary>
    /// What a DuckDB user would write by hand: each source (deduplicated on key and event time by latest created
    /// time when <paramref name="dedup"/>) <c>ASOF LEFT JOIN</c>ed in turn, the TTL as a CASE on the matched row.
    /// Output columns match Granary's; row order is whatever DuckDB produces (Granary keeps entity order).
    /// </summary>
    public static string ReferenceSql(BenchData data, bool dedup, string? outputPath = null)
    {
        var output = outputPath ?? Path.Combine(data.OutputDirectory, dedup ? "reference.parquet" : "reference_nodedup.parquet");
        return $"COPY (\n{ReferenceSelect(data, dedup)}\n) TO {BenchData.Literal(output)} (FORMAT parquet)";
    }

    /// <summary>The query <see cref="ReferenceSql"/> writes out, for <c>EXPLAIN ANALYZE</c>.</summary>
    public static string ReferenceSelect(BenchData data, bool dedup)
    {
        var sql = new StringBuilder("WITH ");
        var featureList = string.Join(", ", Enumerable.Range(0, BenchData.FeaturesPerView).Select(BenchData.FeatureName));
        for (var v = 1; v <= BenchData.ViewCount; v++)
        {
            var qualify = dedup
                ? "\n    QUALIFY row_number() OVER (PARTITION BY user_id, event_timestamp ORDER BY created DESC) = 1"
                : "";
            sql.Append(CultureInfo.InvariantCulture, $"""
                {(v > 1 ? ",\n" : "")}s{v} AS (
                    SELECT user_id, event_timestamp, {featureList}
                    FROM read_parquet({BenchData.Literal(data.ViewPath(v))}){qualify}
                )
                """);
        }

        sql.Append("\nSELECT e.user_id, e.event_timestamp, e.label");
        for (var v = 1; v <= BenchData.ViewCount; v++)
        {
            for (var f = 0; f < BenchData.FeaturesPerView; f++)
            {
                var column = $"s{v}.{BenchData.FeatureName(f)}";
                var value = v == 1
                    ? $"CASE WHEN s{v}.event_timestamp >= e.event_timestamp - INTERVAL {Ttl.Days} DAY THEN {column} END"
                    : column;
                sql.Append(CultureInfo.InvariantCulture, $",\n    {value} AS view{v}__{BenchData.FeatureName(f)}");
            }
        }

        sql.Append(CultureInfo.InvariantCulture, $"\nFROM read_parquet({BenchData.Literal(data.EntityPath)}) e");
        for (var v = 1; v <= BenchData.ViewCount; v++)
        {
            sql.Append(CultureInfo.InvariantCulture,
                $"\nASOF LEFT JOIN s{v} ON e.user_id = s{v}.user_id AND e.event_timestamp >= s{v}.event_timestamp");
        }

        return sql.ToString();
    }

    private static FeatureType FeatureTypeOf(int feature) => feature switch
    {
        < 4 => FeatureType.Float64,
        < 7 => FeatureType.Int64,
        _ => FeatureType.String,
    };
}

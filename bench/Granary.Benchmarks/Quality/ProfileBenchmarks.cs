using BenchmarkDotNet.Attributes;
using Granary.Offline.DuckDb;
using Granary.Offline.Retrieval;

namespace Granary.Benchmarks.Quality;

/// <summary>
/// A view's profile through DuckDB's <see cref="Granary.Offline.IProfiler"/> beside one hand-written DuckDB
/// <c>SELECT</c> of the same aggregates (<see cref="ProfileBenchData.ReferenceSql"/>) over the same Parquet file. Each
/// case opens a fresh in-memory database, as the profiler does, so neither finds anything cached.
/// </summary>
public class ProfileBenchmarks
{
    private ProfileRequest _request = null!;
    private string _reference = null!;
    private DuckDbOfflineEngine _engine = null!;

    [GlobalSetup]
    public void Setup()
    {
        var data = ProfileBenchData.FromEnvironment();
        _request = data.Request();
        _reference = data.ReferenceSql();
        _engine = new DuckDbOfflineEngine();
    }

    [GlobalCleanup]
    public void Cleanup() => _engine.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "Granary IProfiler (DuckDB)")]
    public async Task<int> Granary() => (await _engine.ProfileAsync(_request)).Count;

    [Benchmark(Baseline = true, Description = "Hand-written DuckDB SELECT")]
    public async Task<int> HandWritten()
    {
        await using var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = _reference;
        await using var reader = await command.ExecuteReaderAsync();
        var values = 0;
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                values += reader.GetValue(i) is null ? 0 : 1;
            }
        }

        return values;
    }
}

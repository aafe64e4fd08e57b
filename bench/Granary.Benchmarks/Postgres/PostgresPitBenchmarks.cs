using System.Data.Common;
using BenchmarkDotNet.Attributes;
using Granary.Offline.Postgres;
using Granary.Offline.Retrieval;
using Npgsql;

namespace Granary.Benchmarks.Postgres;

/// <summary>
/// The PostgreSQL point-in-time join (<see cref="PostgresPitData"/>: 20,000 entity rows against three views of
/// 60,000 rows) with and without indexes on (user_id, event_timestamp), beside the hand-written
/// <c>LEFT JOIN LATERAL</c> on the indexed tables. Every case reads every value of every row through Npgsql.
/// </summary>
public class PostgresPitBenchmarks
{
    private PostgresOfflineEngine _engine = null!;
    private NpgsqlDataSource _reference = null!;
    private PointInTimeRequest _plain = null!;
    private PointInTimeRequest _indexed = null!;
    private string _lateralIndexed = null!;

    [GlobalSetup]
    public void Setup()
    {
        var connectionString = Environment.GetEnvironmentVariable(PostgresPitData.ConnectionVariable)
            ?? throw new InvalidOperationException($"{PostgresPitData.ConnectionVariable} is not set; run with --postgres-pit.");
        _engine = new PostgresOfflineEngine(connectionString);
        _reference = NpgsqlDataSource.Create(connectionString);
        _plain = PostgresPitData.Request("plain");
        _indexed = PostgresPitData.Request("indexed");
        _lateralIndexed = PostgresPitData.LateralSql("indexed");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _reference.Dispose();
    }

    [Benchmark(Description = "Granary, no index")]
    public async Task<long> GranaryWithoutIndexes()
    {
        await using var rows = await _engine.ReadAsync(_plain);
        return await DrainAsync(rows.Reader);
    }

    [Benchmark(Description = "Granary, indexed")]
    public async Task<long> GranaryWithIndexes()
    {
        await using var rows = await _engine.ReadAsync(_indexed);
        return await DrainAsync(rows.Reader);
    }

    [Benchmark(Baseline = true, Description = "LEFT JOIN LATERAL, indexed")]
    public async Task<long> LateralWithIndexes()
    {
        await using var connection = await _reference.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(_lateralIndexed, connection);
        await using var reader = await command.ExecuteReaderAsync();
        return await DrainAsync(reader);
    }

    /// <summary>Reads every value, so each case pays for the same transfer and decoding.</summary>
    public static async Task<long> DrainAsync(DbDataReader reader)
    {
        long rows = 0;
        var values = new object[reader.FieldCount];
        while (await reader.ReadAsync())
        {
            reader.GetValues(values);
            rows++;
        }

        return rows;
    }
}

using System.Diagnostics;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Granary.Offline.Postgres;
using Npgsql;

namespace Granary.Benchmarks.Postgres;

/// <summary>
/// <c>--postgres-pit [--verify] [--lateral-plain] [BenchmarkDotNet options]</c>: starts a PostgreSQL cluster of its
/// own (<see cref="LocalPostgres"/>), generates <see cref="PostgresPitData"/>, and runs <see cref="PostgresPitBenchmarks"/>.
/// <c>--verify</c> instead checks that Granary's answer without indexes holds exactly the rows of the hand-written
/// lateral join on the indexed tables; <c>--lateral-plain</c> also times the lateral join without indexes, once.
/// </summary>
public static class PostgresPitBenchmarkMain
{
    public const string Option = "--postgres-pit";

    public static async Task<int?> TryRunAsync(string[] args, string benchRoot)
    {
        if (!args.Contains(Option))
        {
            return null;
        }

        var verify = args.Contains("--verify");
        var lateralPlain = args.Contains("--lateral-plain");
        var rest = args.Where(a => a is not (Option or "--verify" or "--lateral-plain")).ToArray();

        using var server = LocalPostgres.Start();
        await using (var admin = new NpgsqlConnection(server.ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE bench", admin);
            await create.ExecuteNonQueryAsync();
            await using var version = new NpgsqlCommand("SELECT version()", admin);
            Console.WriteLine(await version.ExecuteScalarAsync());
        }

        var connectionString = server.ConnectionString("bench");
        var watch = Stopwatch.StartNew();
        await PostgresPitData.CreateAsync(connectionString);
        Console.WriteLine($"Generated {PostgresPitData.ViewCount} x {PostgresPitData.RowsPerView:N0} source rows (plain and indexed) and {PostgresPitData.EntityRows:N0} entity rows in {watch.Elapsed.TotalSeconds:F1} s.");
        Environment.SetEnvironmentVariable(PostgresPitData.ConnectionVariable, connectionString);

        if (lateralPlain)
        {
            await TimeLateralWithoutIndexesAsync(connectionString);
        }

        if (verify)
        {
            return await VerifyAsync(connectionString);
        }

        // In process: the work happens in the PostgreSQL server, and the cases share the server the host started.
        var job = Job.Default
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(10)
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithId("PostgresPit");
        var config = DefaultConfig.Instance
            .AddJob(job.AsDefault())
            .WithArtifactsPath(Path.Combine(benchRoot, "BenchmarkDotNet.Artifacts"));
        var summary = BenchmarkRunner.Run<PostgresPitBenchmarks>(config, rest);
        return summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) ? 1 : 0;
    }

    private static async Task<int> VerifyAsync(string connectionString)
    {
        await using var engine = new PostgresOfflineEngine(connectionString);
        var granary = engine.Explain(PostgresPitData.Request("plain"));
        var reference = PostgresPitData.LateralSql("indexed");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var failed = false;
        foreach (var (name, sql) in new[]
        {
            ("Granary rows missing from the lateral join", $"SELECT count(*) FROM (({granary}) EXCEPT ALL ({reference})) d"),
            ("lateral join rows missing from Granary", $"SELECT count(*) FROM (({reference}) EXCEPT ALL ({granary})) d"),
        })
        {
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
            var count = (long)(await command.ExecuteScalarAsync())!;
            Console.WriteLine($"{name}: {count:N0} (expected 0)");
            failed |= count != 0;
        }

        await using (var rows = await engine.ReadAsync(PostgresPitData.Request("plain")))
        {
            Console.WriteLine($"Granary rows: {await PostgresPitBenchmarks.DrainAsync(rows.Reader):N0} (expected {PostgresPitData.EntityRows:N0})");
        }

        Console.WriteLine(failed ? "MISMATCH" : "OK: Granary without indexes and the indexed lateral join agree.");
        return failed ? 1 : 0;
    }

    private static async Task TimeLateralWithoutIndexesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(PostgresPitData.LateralSql("plain"), connection) { CommandTimeout = 900 };
        var watch = Stopwatch.StartNew();
        await using var reader = await command.ExecuteReaderAsync();
        var rows = await PostgresPitBenchmarks.DrainAsync(reader);
        Console.WriteLine($"LEFT JOIN LATERAL, no index: {rows:N0} rows in {watch.Elapsed.TotalSeconds:F1} s (one run).");
    }
}

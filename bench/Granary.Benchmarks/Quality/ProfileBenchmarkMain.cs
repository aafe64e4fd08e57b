using System.Diagnostics;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Granary.Offline.DuckDb;

namespace Granary.Benchmarks.Quality;

/// <summary>
/// <c>--profile [--quick] [--explain]</c>: profiling 10,000,000 rows of 10 numeric features through DuckDB's
/// profiler against one hand-written <c>SELECT</c> of the same aggregates, in the same run (docs/BENCHMARKS.md,
/// "Profiling"). <c>--quick</c> uses 100,000 rows; <c>--explain</c> writes EXPLAIN ANALYZE of every statement of both
/// into the data folder instead of benchmarking.
/// </summary>
public static class ProfileBenchmarkMain
{
    public const string Option = "--profile";

    public static async Task<int?> TryRunAsync(string[] args, string benchRoot)
    {
        if (!args.Contains(Option))
        {
            return null;
        }

        var quick = args.Contains("--quick");
        var explain = args.Contains("--explain");
        var rest = args.Where(a => a is not (Option or "--quick" or "--explain")).ToArray();
        var data = new ProfileBenchData(
            Path.Combine(benchRoot, ".data", "profile", quick ? "profile_100k.parquet" : "profile_10m.parquet"),
            quick ? 100_000 : 10_000_000);
        await data.EnsureAsync(Console.Out);
        Environment.SetEnvironmentVariable(ProfileBenchData.PathVariable, data.Path);
        if (explain)
        {
            await ExplainAsync(data);
            return 0;
        }

        // Monitoring: each iteration is one cold run of minutes on 2 cores. In process (the work is DuckDB's, on its own
        // threads), with a timeout above the in-process default of 5 minutes for a case's warm-up and iterations.
        var job = Job.Default
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(quick ? 1 : 2)
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromHours(1), logOutput: true))
            .WithId(quick ? "ProfileQuick" : "Profile");
        var config = DefaultConfig.Instance
            .AddJob(job.AsDefault())
            .WithArtifactsPath(Path.Combine(benchRoot, "BenchmarkDotNet.Artifacts"));
        var summary = BenchmarkRunner.Run<ProfileBenchmarks>(config, rest);
        return summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) ? 1 : 0;
    }

    // The profiler's statements are those DuckDbProfileQuery builds; each is explained with the reference beside it.
    private static async Task ExplainAsync(ProfileBenchData data)
    {
        var request = data.Request();
        var features = Granary.Offline.Retrieval.ProfileColumns.For(request);
        var query = new DuckDbProfileQuery(request, features);
        var statements = new List<(string Name, string Sql)> { ("reference", data.ReferenceSql()), ("granary-first", query.FirstPass()) };
        await using (var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync())
        {
            // The second pass needs the first's ranges and counts, as in the profiler.
            await using var command = connection.CreateCommand();
            command.CommandText = query.FirstPass();
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            Granary.Offline.Retrieval.ProfileColumns.ReadFirstPass(reader, features);
        }

        var numeric = Enumerable.Range(0, features.Length).Where(i => features[i].Layout is not null).ToList();
        if (query.SecondPass(numeric) is { } second)
        {
            statements.Add(("granary-second", second));
        }

        foreach (var (name, sql) in statements)
        {
            await using var connection = await DuckDbHistoricalRetrieval.OpenConnectionAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "EXPLAIN ANALYZE " + sql;
            var watch = Stopwatch.StartNew();
            await using var reader = await command.ExecuteReaderAsync();
            var text = new System.Text.StringBuilder().AppendLine(sql).AppendLine();
            while (await reader.ReadAsync())
            {
                text.AppendLine(reader.GetString(1));
            }

            var path = Path.Combine(Path.GetDirectoryName(data.Path)!, $"explain-{name}.txt");
            await File.WriteAllTextAsync(path, text.ToString());
            Console.WriteLine($"{name}: {watch.Elapsed.TotalSeconds:F1} s, plan in {path}");
        }
    }
}

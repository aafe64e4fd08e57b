using System.Globalization;
using System.Text;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Granary.Benchmarks.OnlineServing;

/// <summary>
/// The online-store benchmarks' entry points, ahead of the historical benchmark's options in Program.cs:
/// <list type="bullet">
/// <item><c>--materialize [--quick] [--only MODE,...]</c>: <see cref="MaterializationBenchmark"/>.</item>
/// <item><c>--materialize-cli [--entities N] [--runs N] [--cli PATH/Granary.Cli.dll ...]</c>: <see cref="MaterializationCliBenchmark"/>
/// (data in <c>bench/.data/online/cli</c>).</item>
/// <item><c>--online-lookup [--quick] [--no-bdn] [--no-latency] [BenchmarkDotNet options]</c>: prepares the embedded store
/// and a local Redis with 1,000,000 users, runs <see cref="EmbeddedOnlineLookupBenchmarks"/> and
/// <see cref="RedisOnlineLookupBenchmarks"/> in BenchmarkDotNet (mean, allocations, P95 of iteration means), then
/// per-call percentiles (<see cref="LookupLatency"/>) and <c>redis-benchmark</c> on the same server.</item>
/// <item><c>--online-endpoint [--quick] [BenchmarkDotNet options]</c>: the embedded store only (prepared as for
/// <c>--online-lookup</c>, and reused), <see cref="EmbeddedOnlineLookupBenchmarks"/> and the feature server's own work per
/// request, <see cref="Server.OnlineEndpointBenchmarks"/>.</item>
/// </list>
/// Data lives in <c>bench/.data/online/full</c> (or <c>quick</c>), or <c>--data DIR</c>.
/// </summary>
public static class OnlineBenchmarkMain
{
    /// <summary>Runs an online benchmark if <paramref name="args"/> asks for one; null otherwise.</summary>
    public static async Task<int?> TryRunAsync(string[] args)
    {
        if (args.Length > 0 && args[0] == MaterializationBenchmark.CaseOption)
        {
            return await MaterializationBenchmark.RunCaseAsync(args);
        }

        if (args.Contains("--materialize-cli"))
        {
            return await MaterializeCliAsync(args);
        }

        var materialize = args.Contains("--materialize");
        var lookup = args.Contains("--online-lookup");
        var endpoint = args.Contains("--online-endpoint");
        if (!materialize && !lookup && !endpoint)
        {
            return null;
        }

        var quick = false;
        var noBdn = false;
        var noLatency = false;
        string? directory = null;
        var only = new HashSet<string>(StringComparer.Ordinal);
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--materialize" or "--online-lookup" or "--online-endpoint":
                    break;
                case "--quick":
                    quick = true;
                    break;
                case "--no-bdn":
                    noBdn = true;
                    break;
                case "--no-latency":
                    noLatency = true;
                    break;
                case "--data" when i + 1 < args.Length:
                    directory = args[++i];
                    break;
                case "--only" when i + 1 < args.Length:
                    only.UnionWith(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries));
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        var benchRoot = Path.Combine(FindRepositoryRoot(), "bench");
        directory ??= Path.Combine(benchRoot, ".data", "online", quick ? "quick" : "full");
        return materialize ? await MaterializationBenchmark.RunAsync(directory, quick, only)
            : endpoint ? await EndpointAsync(benchRoot, directory, quick, rest)
            : await LookupAsync(benchRoot, directory, quick, noBdn, noLatency, rest);
    }

    private static Task<int> MaterializeCliAsync(string[] args)
    {
        var entities = 2_000_000L;
        var runs = 1;
        var clis = new List<string>();
        string? directory = null;
        for (var i = 0; i < args.Length - 1; i++)
        {
            switch (args[i])
            {
                case "--entities":
                    entities = long.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--runs":
                    runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--cli":
                    clis.Add(Path.GetFullPath(args[++i]));
                    break;
                case "--data":
                    directory = args[++i];
                    break;
            }
        }

        var root = FindRepositoryRoot();
        return MaterializationCliBenchmark.RunAsync(root, directory ?? Path.Combine(root, "bench", ".data", "online", "cli"), entities, clis, runs);
    }

    private static async Task<int> LookupAsync(string benchRoot, string directory, bool quick, bool noBdn, bool noLatency, List<string> bdnArgs)
    {
        var entities = quick ? 100_000L : 1_000_000L;
        var data = new OnlineBenchData(directory, entities, rowsPerEntity: 10);
        await data.EnsureAsync(Console.Out);
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Date (UTC): {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}; {entities:N0} users x 10 features; {LookupLatency.Environment()}");

        var embeddedRoot = Path.Combine(directory, "lookup-embedded");
        await PrepareAsync(data, embeddedRoot, "{type: embedded}", reuse: true);

        using var redis = LocalRedis.Start();
        report.AppendLine(redis.Version());
        var redisRoot = Path.Combine(directory, "lookup-redis");
        await PrepareAsync(data, redisRoot, $"{{type: redis, connection: \"{redis.Connection}\"}}", reuse: false);
        report.AppendLine(CultureInfo.InvariantCulture, $"Redis used_memory after materializing: {redis.UsedMemory() / (1024.0 * 1024):F0} MiB");

        Environment.SetEnvironmentVariable(LookupFixture.EmbeddedVariable, embeddedRoot);
        Environment.SetEnvironmentVariable(LookupFixture.RedisVariable, redisRoot);
        Environment.SetEnvironmentVariable(LookupFixture.EntitiesVariable, entities.ToString(CultureInfo.InvariantCulture));

        var failed = false;
        if (!noBdn)
        {
            var config = LookupConfig(benchRoot, quick, embeddedRoot, redisRoot, entities);
            if (!bdnArgs.Contains("--filter"))
            {
                bdnArgs.AddRange(["--filter", "*OnlineLookup*"]);
            }

            var summaries = BenchmarkSwitcher.FromTypes([typeof(EmbeddedOnlineLookupBenchmarks), typeof(RedisOnlineLookupBenchmarks), typeof(Server.OnlineEndpointBenchmarks)])
                .Run([.. bdnArgs], config);
            failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
        }

        if (!noLatency)
        {
            var scale = quick ? 10 : 1;
            report.AppendLine();
            report.AppendLine(LookupLatency.Header);
            await using (var embedded = await LookupFixture.OpenAsync(LookupFixture.EmbeddedVariable))
            {
                const int mask = LookupFixture.SingleRequests - 1;
                const int batchMask = LookupFixture.BatchRequests - 1;
                report.AppendLine(await LookupLatency.MeasureAsync("embedded", "floor: dictionary + TryDecode, 1 entity", 1_000_000 / scale, i =>
                {
                    embedded.FloorDictionary([embedded.SingleId(i & mask)]);
                    return ValueTask.CompletedTask;
                }));
                report.AppendLine(await LookupLatency.MeasureAsync("embedded", "GetOnlineFeaturesAsync, 1 entity", 1_000_000 / scale, i =>
                    new ValueTask(embedded.Store.GetOnlineFeaturesAsync(embedded.Single[i & mask]))));
                report.AppendLine(await LookupLatency.MeasureAsync("embedded", "floor: dictionary + TryDecode, 100 entities", 200_000 / scale, i =>
                {
                    embedded.FloorDictionary(embedded.BatchIds[i & batchMask]);
                    return ValueTask.CompletedTask;
                }));
                report.AppendLine(await LookupLatency.MeasureAsync("embedded", "GetOnlineFeaturesAsync, 100 entities", 200_000 / scale, i =>
                    new ValueTask(embedded.Store.GetOnlineFeaturesAsync(embedded.Batch[i & batchMask]))));
            }

            await using (var remote = await LookupFixture.OpenAsync(LookupFixture.RedisVariable))
            {
                const int mask = LookupFixture.SingleRequests - 1;
                const int batchMask = LookupFixture.BatchRequests - 1;
                report.AppendLine(await LookupLatency.MeasureAsync("redis", "floor: raw GET + TryDecode, 1 entity", 100_000 / scale, i =>
                    new ValueTask(remote.FloorRedisAsync(i & mask, 1))));
                report.AppendLine(await LookupLatency.MeasureAsync("redis", "GetOnlineFeaturesAsync, 1 entity", 100_000 / scale, i =>
                    new ValueTask(remote.Store.GetOnlineFeaturesAsync(remote.Single[i & mask]))));
                report.AppendLine(await LookupLatency.MeasureAsync("redis", "floor: raw MGET + TryDecode, 100 entities", 50_000 / scale, i =>
                    new ValueTask(remote.FloorRedisAsync((i & 511) * 128, LookupFixture.BatchSize))));
                report.AppendLine(await LookupLatency.MeasureAsync("redis", "GetOnlineFeaturesAsync, 100 entities", 50_000 / scale, i =>
                    new ValueTask(remote.Store.GetOnlineFeaturesAsync(remote.Batch[i & batchMask]))));
            }
        }

        // redis-benchmark's GET reads key:__rand_int__; give it a value of about a record's size.
        redis.Cli("SET", "key:__rand_int__", new string('x', 100));
        foreach (var arguments in new[]
        {
            new[] { "-t", "get", "-n", "200000", "-q" },
            ["-t", "get", "-n", "200000", "-c", "1", "-P", "1", "--csv", "--precision", "3"],
            ["-n", "50000", "-c", "1", "-P", "1", "--csv", "--precision", "3", "MGET", .. Enumerable.Repeat("key:__rand_int__", LookupFixture.BatchSize)],
        })
        {
            var output = redis.Benchmark(arguments);
            var lines = output.Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(l => l.Contains("requests per second", StringComparison.Ordinal) || l.StartsWith('"'));
            report.AppendLine();
            report.AppendLine("redis-benchmark " + string.Join(' ', arguments.Take(12)) + (arguments.Length > 12 ? " ... (100 keys)" : "") + ":");
            foreach (var line in lines)
            {
                report.AppendLine("    " + line);
            }
        }

        Console.WriteLine();
        Console.WriteLine(report);
        var path = Path.Combine(directory, "lookup-results.md");
        await File.WriteAllTextAsync(path, report.ToString());
        Console.WriteLine($"Written to {path}");
        return failed ? 1 : 0;
    }

    private static async Task<int> EndpointAsync(string benchRoot, string directory, bool quick, List<string> bdnArgs)
    {
        var entities = quick ? 100_000L : 1_000_000L;
        var data = new OnlineBenchData(directory, entities, rowsPerEntity: 10);
        await data.EnsureAsync(Console.Out);
        var embeddedRoot = Path.Combine(directory, "lookup-embedded");
        await PrepareAsync(data, embeddedRoot, "{type: embedded}", reuse: true);
        Environment.SetEnvironmentVariable(LookupFixture.EmbeddedVariable, embeddedRoot);
        Environment.SetEnvironmentVariable(LookupFixture.EntitiesVariable, entities.ToString(CultureInfo.InvariantCulture));
        if (!bdnArgs.Contains("--filter"))
        {
            bdnArgs.AddRange(["--filter", "*"]);
        }

        var summaries = BenchmarkSwitcher.FromTypes([typeof(EmbeddedOnlineLookupBenchmarks), typeof(Server.OnlineEndpointBenchmarks)])
            .Run([.. bdnArgs], LookupConfig(benchRoot, quick, embeddedRoot, redisRoot: "", entities));
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }

    private static IConfig LookupConfig(string benchRoot, bool quick, string embeddedRoot, string redisRoot, long entities)
    {
        // Bounded: on a shared machine BenchmarkDotNet's default would run up to 100 iterations per case.
        var job = (quick ? Job.ShortRun : Job.Default.WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(20))
            .WithEnvironmentVariables(
                new EnvironmentVariable(LookupFixture.EmbeddedVariable, embeddedRoot),
                new EnvironmentVariable(LookupFixture.RedisVariable, redisRoot),
                new EnvironmentVariable(LookupFixture.EntitiesVariable, entities.ToString(CultureInfo.InvariantCulture)))
            // In this process: the binaries already built, rather than a rebuild from a source tree others may be editing.
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithId(quick ? "QuickLookup" : "OnlineLookup");
        return DefaultConfig.Instance
            .AddJob(job)
            .AddColumn(StatisticColumn.P95)
            .WithArtifactsPath(Path.Combine(benchRoot, "BenchmarkDotNet.Artifacts"));
    }

    /// <summary>Writes, applies and materializes a repository around the source, unless <paramref name="reuse"/> finds one done.</summary>
    private static async Task PrepareAsync(OnlineBenchData data, string root, string onlineStoreYaml, bool reuse)
    {
        if (reuse && File.Exists(Path.Combine(root, "materialized.txt")))
        {
            // A repository prepared by an older build gets what the definitions have gained since (the feature
            // service); its view is unchanged, so its materialized values stay valid.
            data.WriteRepository(root, onlineStoreYaml);
            await using var reused = FeatureStore.Open(root);
            await reused.ApplyAsync();
            Console.WriteLine($"Using {root}.");
            return;
        }

        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        data.WriteRepository(root, onlineStoreYaml);
        await using var store = FeatureStore.Open(root);
        await store.ApplyAsync();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = (await store.MaterializeAsync(DateTimeOffset.UnixEpoch, OnlineBenchData.End, [OnlineBenchData.View])).Single();
        Console.WriteLine($"Materialized {result.Rows:N0} users into {onlineStoreYaml} in {watch.Elapsed.TotalSeconds:F1} s.");
        await File.WriteAllTextAsync(Path.Combine(root, "materialized.txt"), result.Rows.ToString(CultureInfo.InvariantCulture));
    }

    private static string FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Granary.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Run from inside the Granary repository (no Granary.slnx found above here).");
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Granary.Materialization;
using Granary.Offline;
using Granary.Offline.DuckDb;
using Granary.Offline.Retrieval;
using Granary.Online;
using Granary.OnlineServing;

namespace Granary.Benchmarks.OnlineServing;

/// <summary>
/// <c>--materialize</c>: times <see cref="FeatureStore.MaterializeAsync"/> of one view (1,000,000 users x 10 rows,
/// 10 features) into the embedded store and into a local Redis, each case in a fresh process of its own so that its peak
/// resident set (VmHWM) is its own. To show memory does not grow with source rows, every case also runs on a source
/// with the same users and one row each (1,000,000 rows): the stores then hold the same records, and any difference in
/// peak memory comes from the number of rows read. References in the same run: DuckDB writing the same
/// latest-per-user query to a Parquet file, and <c>redis-benchmark -t set</c> on the same server. Two stages without a
/// store show where the time goes: the engine's reader alone, and the reader plus the key and record encoding.
/// </summary>
public static class MaterializationBenchmark
{
    public const string CaseOption = "--materialize-case";

    private static readonly string[] Modes = ["reference", "reference-argmax", "read", "encode", "breakdown", "embedded", "embedded-warm", "redis"];
    // embedded-warm: the same as embedded, timed on a second fresh repository after a first in the same process, so
    // the difference between its first_seconds and seconds is what a process pays once (JIT, first-use setup).
    private static readonly string[] LocalModes = ["reference", "reference-argmax", "read", "encode", "breakdown", "embedded", "embedded-warm"];

    public static async Task<int> RunAsync(string dataDirectory, bool quick, ISet<string> only)
    {
        var entities = quick ? 100_000L : 1_000_000L;
        var full = new OnlineBenchData(dataDirectory, entities, rowsPerEntity: 10);
        var flat = new OnlineBenchData(dataDirectory, entities, rowsPerEntity: 1);
        await full.EnsureAsync(Console.Out);
        await flat.EnsureAsync(Console.Out);

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Date (UTC): {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}; {Environment.ProcessorCount} cores; .NET {Environment.Version}");
        var results = new List<Dictionary<string, string>>();
        bool Wanted(string mode) => only.Count == 0 || only.Contains(mode);

        foreach (var mode in LocalModes.Where(Wanted))
        {
            foreach (var data in new[] { flat, full })
            {
                results.Add(await RunCaseAsync(mode, data, connection: null));
            }
        }

        if (Wanted("redis"))
        {
            using var redis = LocalRedis.Start();
            report.AppendLine(redis.Version());

            // The reference first, on the empty server: as many SETs of 150-byte values as Redis takes pipelined.
            var setBench = redis.Benchmark("-t", "set", "-n", "1000000", "-P", "16", "-d", "150", "-q");
            report.AppendLine("redis-benchmark -t set -n 1000000 -P 16 -d 150 -q: " + Last(setBench));
            redis.Cli("FLUSHALL");
            foreach (var data in new[] { flat, full })
            {
                var result = await RunCaseAsync("redis", data, redis.Connection);
                result["redis_used_memory"] = redis.UsedMemory().ToString(CultureInfo.InvariantCulture);
                results.Add(result);
                redis.Cli("FLUSHALL");
            }
        }

        report.AppendLine();
        report.AppendLine("| Case | Source rows | Entity rows | Time | Source rows/s | Entity rows/s | CPU time | Peak RSS | Allocated | Gen2 GCs |");
        report.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var seconds = double.Parse(r["seconds"], CultureInfo.InvariantCulture);
            var sourceRows = long.Parse(r["source_rows"], CultureInfo.InvariantCulture);
            var entityRows = long.Parse(r["rows"], CultureInfo.InvariantCulture);
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {r["mode"]} | {sourceRows:N0} | {entityRows:N0} | {seconds:F2} s | {sourceRows / seconds:N0} | {entityRows / seconds:N0} | {double.Parse(r["cpu_seconds"], CultureInfo.InvariantCulture):F1} s | {GiB(r["peak_rss"])} | {GiB(r["allocated"])} | {r["gen2"]} |");
        }

        report.AppendLine();
        foreach (var r in results)
        {
            report.AppendLine(string.Join(' ', r.Select(kv => $"{kv.Key}={kv.Value}")));
        }

        Console.WriteLine();
        Console.WriteLine(report);
        var path = Path.Combine(dataDirectory, "materialize-results.md");
        await File.WriteAllTextAsync(path, report.ToString());
        Console.WriteLine($"Written to {path}");
        return 0;
    }

    /// <summary>The child process: one case, one line <c>RESULT key=value ...</c> on standard output.</summary>
    public static async Task<int> RunCaseAsync(string[] args)
    {
        // --materialize-case MODE DATA_DIR ENTITIES ROWS_PER_ENTITY [CONNECTION]
        var mode = args[1];
        var data = new OnlineBenchData(args[2], long.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture));
        var connection = args.Length > 5 ? args[5] : null;
        var result = new Dictionary<string, string>
        {
            ["mode"] = mode + (mode == "reference" ? "" : ""),
            ["source_rows"] = data.Rows.ToString(CultureInfo.InvariantCulture),
        };
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var gen2Before = GC.CollectionCount(2);
        long rows;
        var watch = new Stopwatch();
        switch (mode)
        {
            case "reference":
            {
                var output = Path.Combine(data.Directory, "out", $"latest_{data.Entities}x{data.RowsPerEntity}.parquet");
                Directory.CreateDirectory(Path.GetDirectoryName(output)!);
                await using var duck = await DuckDbHistoricalRetrieval.OpenConnectionAsync();
                await using var command = duck.CreateCommand();
                command.CommandText = $"COPY ({data.ReferenceLatestSql()}) TO {BenchData.Literal(output)} (FORMAT parquet)";
                watch.Start();
                rows = Convert.ToInt64(await command.ExecuteNonQueryAsync(), CultureInfo.InvariantCulture);
                watch.Stop();
                break;
            }

            case "reference-argmax":
            {
                // The same answer from an aggregate whose state is one row per user, not one per source row.
                var output = Path.Combine(data.Directory, "out", $"latest_argmax_{data.Entities}x{data.RowsPerEntity}.parquet");
                Directory.CreateDirectory(Path.GetDirectoryName(output)!);
                await using var duck = await DuckDbHistoricalRetrieval.OpenConnectionAsync();
                await using var command = duck.CreateCommand();
                command.CommandText = $"COPY ({data.ReferenceArgMaxSql()}) TO {BenchData.Literal(output)} (FORMAT parquet)";
                watch.Start();
                rows = Convert.ToInt64(await command.ExecuteNonQueryAsync(), CultureInfo.InvariantCulture);
                watch.Stop();
                break;
            }

            case "breakdown":
            {
                // The pipeline's stages, serial, with the store's writes timed apart from the engine read and encoding.
                var root = FreshRepository(data, mode, "{type: embedded}");
                await using var store = FeatureStore.Open(root);
                await store.ApplyAsync();
                await store.Online.InitializeAsync();
                var registry = await store.GetRegistryAsync();
                var plan = OnlineViewPlan.For(registry.Definitions.FindFeatureView(OnlineBenchData.View)!, registry.Definitions);
                watch.Start();
                (rows, var writeSeconds) = await ReadAndEncodeAsync(store, plan, store.Online);
                watch.Stop();
                result["write_seconds"] = writeSeconds.ToString("F3", CultureInfo.InvariantCulture);
                break;
            }

            case "read" or "encode":
            {
                var root = FreshRepository(data, mode, "{type: embedded}");
                await using var store = FeatureStore.Open(root);
                await store.ApplyAsync();
                var registry = await store.GetRegistryAsync();
                var plan = OnlineViewPlan.For(registry.Definitions.FindFeatureView(OnlineBenchData.View)!, registry.Definitions);
                watch.Start();
                rows = await ReadAsync(store, plan, encode: mode == "encode");
                watch.Stop();
                break;
            }

            case "embedded-warm":
            {
                // Also run by hand on a few users (--materialize-case embedded-warm DIR 1000 1), where the rows cost
                // next to nothing and what is left is the cost of a call.
                if (!File.Exists(data.SourcePath))
                {
                    await data.EnsureAsync(TextWriter.Null);
                }

                // JIT time and methods compiled during each call (all threads): what the first call pays once.
                var first = FreshRepository(data, mode + "-first", "{type: embedded}");
                await using (var store = FeatureStore.Open(first))
                {
                    await store.ApplyAsync();
                    await store.Online.InitializeAsync();
                    var (jitTime, jitMethods) = (System.Runtime.JitInfo.GetCompilationTime(), System.Runtime.JitInfo.GetCompiledMethodCount());
                    watch.Start();
                    await store.MaterializeAsync(DateTimeOffset.UnixEpoch, OnlineBenchData.End, [OnlineBenchData.View]);
                    watch.Stop();
                    result["first_seconds"] = watch.Elapsed.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture);
                    result["first_jit_seconds"] = (System.Runtime.JitInfo.GetCompilationTime() - jitTime).TotalSeconds.ToString("F3", CultureInfo.InvariantCulture);
                    result["first_jit_methods"] = (System.Runtime.JitInfo.GetCompiledMethodCount() - jitMethods).ToString(CultureInfo.InvariantCulture);
                    watch.Reset();
                }

                var root = FreshRepository(data, mode, "{type: embedded}");
                await using var second = FeatureStore.Open(root);
                await second.ApplyAsync();
                await second.Online.InitializeAsync();
                var (secondJitTime, secondJitMethods) = (System.Runtime.JitInfo.GetCompilationTime(), System.Runtime.JitInfo.GetCompiledMethodCount());
                watch.Start();
                var materialized = await second.MaterializeAsync(DateTimeOffset.UnixEpoch, OnlineBenchData.End, [OnlineBenchData.View]);
                watch.Stop();
                result["jit_seconds"] = (System.Runtime.JitInfo.GetCompilationTime() - secondJitTime).TotalSeconds.ToString("F3", CultureInfo.InvariantCulture);
                result["jit_methods"] = (System.Runtime.JitInfo.GetCompiledMethodCount() - secondJitMethods).ToString(CultureInfo.InvariantCulture);
                rows = materialized.Single().Rows;
                break;
            }

            case "embedded" or "redis":
            {
                var root = FreshRepository(data, mode, mode == "embedded" ? "{type: embedded}" : $"{{type: redis, connection: \"{connection}\"}}");
                await using var store = FeatureStore.Open(root);
                await store.ApplyAsync();
                await store.Online.InitializeAsync();
                result["rss_before"] = Environment.WorkingSet.ToString(CultureInfo.InvariantCulture);
                watch.Start();
                var materialized = await store.MaterializeAsync(DateTimeOffset.UnixEpoch, OnlineBenchData.End, [OnlineBenchData.View]);
                watch.Stop();
                rows = materialized.Single().Rows;
                result["written"] = materialized.Single().Written.ToString(CultureInfo.InvariantCulture);
                if (mode == "embedded")
                {
                    var file = new FileInfo(Path.Combine(root, "data", "online.db"));
                    result["file_bytes"] = (file.Exists ? file.Length : -1).ToString(CultureInfo.InvariantCulture);
                }

                break;
            }

            default:
                throw new ArgumentException($"Unknown mode '{mode}'; one of {string.Join(", ", Modes)}.");
        }

        process.Refresh();
        result["rows"] = rows.ToString(CultureInfo.InvariantCulture);
        result["seconds"] = watch.Elapsed.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture);
        result["cpu_seconds"] = (process.TotalProcessorTime - cpuBefore).TotalSeconds.ToString("F2", CultureInfo.InvariantCulture);
        result["peak_rss"] = process.PeakWorkingSet64.ToString(CultureInfo.InvariantCulture);
        result["allocated"] = (GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore).ToString(CultureInfo.InvariantCulture);
        result["gen2"] = (GC.CollectionCount(2) - gen2Before).ToString(CultureInfo.InvariantCulture);
        result["managed_heap"] = GC.GetTotalMemory(forceFullCollection: false).ToString(CultureInfo.InvariantCulture);
        Console.WriteLine("RESULT " + string.Join(' ', result.Select(kv => $"{kv.Key}={kv.Value}")));
        return 0;
    }

    /// <summary>What the materializer's stages do, one after the other, without a store: read every column, optionally encode.</summary>
    private static async Task<long> ReadAsync(FeatureStore store, OnlineViewPlan plan, bool encode)
    {
        if (encode)
        {
            return (await ReadAndEncodeAsync(store, plan, write: null)).Rows;
        }

        var request = plan.LatestValues(DateTimeOffset.UnixEpoch, OnlineBenchData.End, store.Config.RepositoryRoot);
        await using var source = await store.Offline.Require<ILatestValuesReader>("read latest values").ReadLatestAsync(request);
        var reader = source.Reader;
        long rows = 0;
        while (await reader.ReadAsync())
        {
            rows++;
            for (var c = 0; c < reader.FieldCount; c++)
            {
                _ = reader.GetValue(c);
            }
        }

        return rows;
    }

    /// <summary>
    /// The pipeline's stages run serially on one thread (<see cref="LatestRowReader"/> into a <see cref="RowBatch"/>,
    /// <see cref="RowEncoder"/>, then <paramref name="write"/> when given), the writes timed apart.
    /// </summary>
    private static async Task<(long Rows, double WriteSeconds)> ReadAndEncodeAsync(FeatureStore store, OnlineViewPlan plan, IOnlineStore? write)
    {
        var request = plan.LatestValues(DateTimeOffset.UnixEpoch, OnlineBenchData.End, store.Config.RepositoryRoot);
        await using var source = await store.Offline.Require<ILatestValuesReader>("read latest values").ReadLatestAsync(request);
        var reader = source.Reader;
        LatestRowReader? cells = null;
        RowEncoder? encoder = null;
        RowBatch? batch = null;
        var writes = new List<OnlineWrite>(Materializer.DefaultBatchSize);
        var writing = new Stopwatch();
        long rows = 0, bytes = 0;
        while (await reader.ReadAsync())
        {
            rows++;
            cells ??= LatestRowReader.For(plan, reader);
            encoder ??= new RowEncoder(plan, cells.Reads);
            batch ??= new RowBatch(Materializer.DefaultBatchSize, cells.Reads.Count, cells.AnyConverted);
            cells.TryAppend(reader, batch);
            if (batch.IsFull)
            {
                bytes += await FlushAsync();
            }
        }

        bytes += batch is null ? 0 : await FlushAsync();
        GC.KeepAlive(bytes);
        return (rows, writing.Elapsed.TotalSeconds);

        async Task<long> FlushAsync()
        {
            encoder!.Encode(batch!, writes);
            batch!.Reset();
            long encoded = 0;
            foreach (var w in writes)
            {
                encoded += w.Record.Length + w.Entity.Bytes.Length;
            }

            if (write is not null)
            {
                writing.Start();
                await write.WriteAsync(writes);
                writing.Stop();
            }

            writes.Clear();
            return encoded;
        }
    }

    private static string FreshRepository(OnlineBenchData data, string mode, string onlineStoreYaml)
    {
        var root = Path.Combine(data.Directory, "runs", $"{mode}_{data.Entities}x{data.RowsPerEntity}");
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        data.WriteRepository(root, onlineStoreYaml);
        return root;
    }

    private static async Task<Dictionary<string, string>> RunCaseAsync(string mode, OnlineBenchData data, string? connection)
    {
        Console.WriteLine($"{mode}: {data.Rows:N0} source rows ({data.Entities:N0} users x {data.RowsPerEntity})...");
        var info = SelfStartInfo();
        foreach (var argument in new[]
        {
            CaseOption, mode, data.Directory, data.Entities.ToString(CultureInfo.InvariantCulture), data.RowsPerEntity.ToString(CultureInfo.InvariantCulture),
        })
        {
            info.ArgumentList.Add(argument);
        }

        if (connection is not null)
        {
            info.ArgumentList.Add(connection);
        }

        using var child = Process.Start(info) ?? throw new InvalidOperationException("Could not start the benchmark process.");
        var stderr = child.StandardError.ReadToEndAsync();
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        if (child.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"Case {mode} failed (exit {child.ExitCode}):\n{output}\n{await stderr}");
        }

        var result = line["RESULT ".Length..].Trim().Split(' ').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        result["mode"] = $"{mode} ({data.RowsPerEntity} row{(data.RowsPerEntity == 1 ? "" : "s")}/user)";
        Console.WriteLine("  " + line);
        return result;
    }

    /// <summary>This program again, whether it was started through its apphost or as <c>dotnet Granary.Benchmarks.dll</c>.</summary>
    internal static ProcessStartInfo SelfStartInfo()
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var info = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            info.ArgumentList.Add(typeof(MaterializationBenchmark).Assembly.Location);
        }

        return info;
    }

    private static string Last(string output)
    {
        // redis-benchmark -q rewrites its progress line with carriage returns; keep the final text.
        var lines = output.Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(" | ", lines.Where(l => l.Contains("requests per second", StringComparison.Ordinal) || l.Contains(',', StringComparison.Ordinal)));
    }

    private static string GiB(string bytes) =>
        string.Create(CultureInfo.InvariantCulture, $"{long.Parse(bytes, CultureInfo.InvariantCulture) / (1024.0 * 1024 * 1024):F2} GiB");
}

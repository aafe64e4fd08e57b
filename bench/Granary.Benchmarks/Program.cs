using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Granary.Benchmarks;
using Granary.Core.Model;
using Granary.Offline.DuckDb;
using Granary.Offline.Retrieval;

// Online store benchmarks (issue 5) have entry points of their own: --materialize and --online-lookup
// (see OnlineServing/OnlineBenchmarkMain.cs and docs/BENCHMARKS.md). Without them, nothing below changes.
if (await Granary.Benchmarks.OnlineServing.OnlineBenchmarkMain.TryRunAsync(args) is { } onlineExitCode)
{
    return onlineExitCode;
}

// Single-row pushes against single-entity reads at the same concurrency: --push-vs-read (see Online/PushVersusReadBenchmark.cs).
if (await Granary.Benchmarks.Online.PushVersusReadBenchmark.TryRunAsync(args) is { } pushExitCode)
{
    return pushExitCode;
}

// The embedded online store's memory per record: --embedded-memory (see Online/EmbeddedMemoryBenchmark.cs).
if (await Granary.Benchmarks.Online.EmbeddedMemoryBenchmark.TryRunAsync(args) is { } memoryExitCode)
{
    return memoryExitCode;
}

// The Redis store's write path beside redis-benchmark on the same server: --redis-write (see Online/RedisWriteBenchmark.cs).
if (await Granary.Benchmarks.Online.RedisWriteBenchmark.TryRunAsync(args) is { } redisWriteExitCode)
{
    return redisWriteExitCode;
}

// The PostgreSQL point-in-time benchmark starts a server of its own: --postgres-pit (see Postgres/PostgresPitBenchmarkMain.cs).
if (await Granary.Benchmarks.Postgres.PostgresPitBenchmarkMain.TryRunAsync(args, Path.Combine(FindRepositoryRoot(), "bench")) is { } postgresExitCode)
{
    return postgresExitCode;
}

// Granary.Client's round trip against a raw HttpClient POST, and over gRPC: --client (see Client/ClientBenchmarkMain.cs).
if (await Granary.Benchmarks.Client.ClientBenchmarkMain.TryRunAsync(args, Path.Combine(FindRepositoryRoot(), "bench")) is { } clientExitCode)
{
    return clientExitCode;
}

// Streaming ingestion beside parse-only decoding, and event-to-servable lag at a steady rate: --stream-ingest,
// --stream-lag (see Streaming/StreamIngestBenchmark.cs and Streaming/StreamLagBenchmark.cs).
if (await Granary.Benchmarks.Streaming.StreamIngestBenchmark.TryRunAsync(args) is { } streamIngestExitCode)
{
    return streamIngestExitCode;
}

if (await Granary.Benchmarks.Streaming.StreamLagBenchmark.TryRunAsync(args) is { } streamLagExitCode)
{
    return streamLagExitCode;
}

// A view's profile through DuckDB's profiler beside one hand-written SELECT of the same aggregates: --profile
// (see Quality/ProfileBenchmarkMain.cs).
if (await Granary.Benchmarks.Quality.ProfileBenchmarkMain.TryRunAsync(args, Path.Combine(FindRepositoryRoot(), "bench")) is { } profileExitCode)
{
    return profileExitCode;
}

// A Redis lookup with and without the online read cache, in the same run: --online-cache (see Online/OnlineCacheBenchmarks.cs).
if (Granary.Benchmarks.Online.OnlineCacheBenchmarks.TryRun(args, Path.Combine(FindRepositoryRoot(), "bench")) is { } cacheExitCode)
{
    return cacheExitCode;
}

// A lookup with and without on-demand features, in the same run: --on-demand (see OnDemand/OnDemandBenchmarkMain.cs).
if (Granary.Benchmarks.OnDemand.OnDemandBenchmarkMain.TryRun(args, Path.Combine(FindRepositoryRoot(), "bench")) is { } onDemandExitCode)
{
    return onDemandExitCode;
}

// Options of our own come first; everything else goes to BenchmarkDotNet (--filter, --list, --exporters...).
//   --quick              1% of the data (100,000 rows per view, 10,000 entity rows), one iteration: a smoke test.
//   --data DIR           cache folder for the generated files (default bench/.data, or bench/.data/quick).
//   --memory-limit SIZE  DuckDB memory_limit for every case (default 8GB).
//   --granary-memory-limit SIZE  DuckDB memory_limit for the Granary case only (default: --memory-limit), so one
//                        run can hold Granary to less memory than the hand-written references get.
//   --verify             run Granary and the reference once each and compare their outputs; no benchmark.
//   --explain            write EXPLAIN ANALYZE of both queries into the data folder; no benchmark.
var quick = false;
var verify = false;
var explain = false;
string? dataDirectory = null;
var memoryLimit = BenchData.DefaultMemoryLimit;
string? granaryMemoryLimit = null;
var benchmarkArgs = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--quick":
            quick = true;
            break;
        case "--verify":
            verify = true;
            break;
        case "--explain":
            explain = true;
            break;
        case "--data" when i + 1 < args.Length:
            dataDirectory = args[++i];
            break;
        case "--memory-limit" when i + 1 < args.Length:
            memoryLimit = args[++i];
            break;
        case "--granary-memory-limit" when i + 1 < args.Length:
            granaryMemoryLimit = args[++i];
            break;
        default:
            benchmarkArgs.Add(args[i]);
            break;
    }
}

var benchRoot = Path.Combine(FindRepositoryRoot(), "bench");
dataDirectory ??= Path.Combine(benchRoot, ".data", quick ? "quick" : "full");
var data = quick
    ? new BenchData(dataDirectory, rowsPerView: 100_000, entityRows: 10_000, users: 10_000)
    : new BenchData(dataDirectory, rowsPerView: 10_000_000, entityRows: 1_000_000, users: 1_000_000);

// Generated here, in the host process, so generation neither counts in a case's time nor in its peak memory.
await data.EnsureAsync(Console.Out);

// Child processes inherit these; the job below passes them explicitly as well.
Environment.SetEnvironmentVariable(BenchData.DirectoryVariable, data.Directory);
Environment.SetEnvironmentVariable(BenchData.MemoryLimitVariable, memoryLimit);
Environment.SetEnvironmentVariable(BenchData.GranaryMemoryLimitVariable, granaryMemoryLimit ?? memoryLimit);

if (verify)
{
    return await VerifyAsync(data);
}

if (explain)
{
    await ExplainAsync(data);
    return 0;
}

if (Directory.Exists(data.PeakDirectory))
{
    // A case that fails must not show the peak of an earlier run.
    Directory.Delete(data.PeakDirectory, recursive: true);
}

// Monitoring: each iteration is one cold run of many seconds, so no pilot stage and no unrolling.
var job = Job.Default
    .WithStrategy(RunStrategy.Monitoring)
    .WithLaunchCount(1)
    .WithWarmupCount(1)
    .WithIterationCount(quick ? 1 : 3)
    .WithEnvironmentVariables(
        new EnvironmentVariable(BenchData.DirectoryVariable, data.Directory),
        new EnvironmentVariable(BenchData.MemoryLimitVariable, memoryLimit),
        new EnvironmentVariable(BenchData.GranaryMemoryLimitVariable, granaryMemoryLimit ?? memoryLimit))
    .WithId(quick ? "Quick" : "Historical");
var config = DefaultConfig.Instance
    .AddJob(job.AsDefault())
    .AddColumn(new MemoryLimitColumn())
    .AddColumn(new PeakMemoryColumn(data.PeakDirectory))
    .WithArtifactsPath(Path.Combine(benchRoot, "BenchmarkDotNet.Artifacts"));
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. benchmarkArgs], config);
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;

static async Task<int> VerifyAsync(BenchData data)
{
    var granaryPath = Path.Combine(data.OutputDirectory, "verify_granary.parquet");
    var referencePath = Path.Combine(data.OutputDirectory, "verify_reference.parquet");
    // Each on a database of its own, under the memory limit its benchmark case gets.
    var watch = Stopwatch.StartNew();
    await using (var granaryConnection = await HistoricalRetrievalBenchmarks.OpenConnectionAsync(data, BenchData.GranaryMemoryLimit()))
    {
        await DuckDbHistoricalRetrieval.WriteToFileAsync(
            granaryConnection, HistoricalRetrievalBenchmarks.BuildRequest(data), granaryPath, FileFormat.Parquet);
    }

    Console.WriteLine($"Granary:   {watch.Elapsed.TotalSeconds:F1} s (memory_limit {BenchData.GranaryMemoryLimit()})");
    watch.Restart();
    await using var connection = await HistoricalRetrievalBenchmarks.OpenConnectionAsync(data, BenchData.ReferenceMemoryLimit());
    await BenchData.ExecuteAsync(connection, HistoricalRetrievalBenchmarks.ReferenceSql(data, dedup: true, referencePath));
    Console.WriteLine($"Reference: {watch.Elapsed.TotalSeconds:F1} s (memory_limit {BenchData.ReferenceMemoryLimit()})");

    // Same multiset of rows both ways (the reference's row order is DuckDB's choice), and Granary keeps entity order.
    var granary = $"read_parquet({BenchData.Literal(granaryPath)})";
    var reference = $"read_parquet({BenchData.Literal(referencePath)})";
    var entities = $"read_parquet({BenchData.Literal(data.EntityPath)})";
    var checks = new (string Name, string Sql, long Expected)[]
    {
        ("rows", $"SELECT count(*) FROM {granary}", data.EntityRows),
        ("granary rows missing from reference", $"SELECT count(*) FROM (FROM {granary} EXCEPT ALL FROM {reference})", 0),
        ("reference rows missing from granary", $"SELECT count(*) FROM (FROM {reference} EXCEPT ALL FROM {granary})", 0),
        ("rows out of entity order", $"""
            SELECT count(*)
            FROM (SELECT user_id, event_timestamp, label, row_number() OVER () AS n FROM {granary}) g
            FULL JOIN (SELECT user_id, event_timestamp, label, row_number() OVER () AS n FROM {entities}) e ON g.n = e.n
            WHERE g.user_id IS DISTINCT FROM e.user_id OR g.event_timestamp IS DISTINCT FROM e.event_timestamp
                OR g.label IS DISTINCT FROM e.label
            """, 0),
    };
    var failed = false;
    foreach (var (name, sql, expected) in checks)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var actual = Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        Console.WriteLine($"{name}: {actual:N0} (expected {expected:N0})");
        failed |= actual != expected;
    }

    await using (var command = connection.CreateCommand())
    {
        // How much the data exercises: matched rows per view and rows the TTL nulls.
        command.CommandText = $"""
            SELECT count(view1__f0), count(view2__f0), count(view3__f0) FROM {granary}
            """;
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Console.WriteLine($"non-null view1/2/3 f0: {reader.GetInt64(0):N0} / {reader.GetInt64(1):N0} / {reader.GetInt64(2):N0}");
    }

    Console.WriteLine(failed ? "MISMATCH" : "OK: Granary and the reference agree.");
    return failed ? 1 : 0;
}

static async Task ExplainAsync(BenchData data)
{
    var queries = new (string Name, string Sql, string MemoryLimit)[]
    {
        ("granary", DuckDbHistoricalRetrieval.ToSql(HistoricalRetrievalBenchmarks.BuildRequest(data)), BenchData.GranaryMemoryLimit()),
        ("reference", HistoricalRetrievalBenchmarks.ReferenceSelect(data, dedup: true), BenchData.ReferenceMemoryLimit()),
        ("reference-nodedup", HistoricalRetrievalBenchmarks.ReferenceSelect(data, dedup: false), BenchData.ReferenceMemoryLimit()),
    };
    foreach (var (name, sql, memoryLimit) in queries)
    {
        await using var connection = await HistoricalRetrievalBenchmarks.OpenConnectionAsync(data, memoryLimit);
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN ANALYZE " + sql;
        await using var reader = await command.ExecuteReaderAsync();
        var text = new System.Text.StringBuilder().AppendLine(sql).AppendLine();
        while (await reader.ReadAsync())
        {
            text.AppendLine(reader.GetString(1));
        }

        var path = Path.Combine(data.Directory, $"explain-{name}.txt");
        await File.WriteAllTextAsync(path, text.ToString());
        Console.WriteLine($"Wrote {path}");
    }
}

// The folder holding Granary.slnx, from the working directory or, failing that, from the executable.
static string FindRepositoryRoot()
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

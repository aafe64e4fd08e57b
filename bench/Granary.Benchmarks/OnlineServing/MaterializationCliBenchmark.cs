using System.Diagnostics;
using System.Globalization;
using System.Text;
using StackExchange.Redis;

namespace Granary.Benchmarks.OnlineServing;

/// <summary>
/// <c>--materialize-cli [--entities N] [--cli PATH/Granary.Cli.dll ...] [--runs N]</c>: <c>granary materialize</c> of one view
/// with 2,000,000 distinct users (one source row each, 10 features) run as a process, end to end from the command
/// line (start-up, engine query, encoding, store writes, exit), into the embedded store and into a local Redis. The
/// references, in the same run: DuckDB alone writing the same latest rows to Parquet (<c>QUALIFY row_number() ... = 1</c>
/// then <c>COPY</c>, the <c>reference</c> case of <see cref="MaterializationBenchmark"/> in a process of its own, on a
/// connection opened as the engine opens it), and <c>redis-benchmark -P 64 -t set</c> of as many values of the
/// records' average size on the same server. Given several <c>--cli</c>, each run times each of them in turn (a build
/// before and after a change, under the same load).
/// </summary>
public static class MaterializationCliBenchmark
{
    public static async Task<int> RunAsync(string repositoryRoot, string dataDirectory, long entities, IReadOnlyList<string> clis, int runs)
    {
        if (clis.Count == 0)
        {
            clis = [Path.Combine(repositoryRoot, "src", "Granary.Cli", "bin", "Release", "net10.0", "Granary.Cli.dll")];
        }

        foreach (var cli in clis.Where(c => !File.Exists(c)))
        {
            Console.Error.WriteLine($"No CLI at {cli}: build it first (dotnet build src/Granary.Cli -c Release) or pass --cli PATH/Granary.Cli.dll.");
            return 2;
        }

        var data = new OnlineBenchData(dataDirectory, entities, rowsPerEntity: 1);
        await data.EnsureAsync(Console.Out);
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Date (UTC): {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}; {Environment.ProcessorCount} cores; .NET {Environment.Version}; CLI {string.Join(", ", clis)}");
        report.AppendLine(CultureInfo.InvariantCulture, $"Load average at start: {LoadAverage()}");
        var rows = new List<string>();

        for (var run = 1; run <= runs; run++)
        {
            var reference = await ReferenceAsync(data);
            Add(rows, Row($"DuckDB alone: QUALIFY row_number() = 1, COPY to Parquet (run {run})", reference, entities, reference));
            foreach (var cli in clis)
            {
                var embeddedRoot = await RepositoryAsync(cli, data, "cli-embedded", "{type: embedded}");
                var (embedded, summary) = await MaterializeAsync(cli, embeddedRoot, entities);
                Add(rows, Row($"`granary materialize`, embedded store, {Label(cli)} (run {run})", embedded, entities, reference));
                Add(report, $"embedded, {Label(cli)}, run {run}: {summary}");
            }
        }

        using (var redis = LocalRedis.Start())
        {
            report.AppendLine(redis.Version());
            for (var run = 1; run <= runs; run++)
            {
                var recordBytes = 0;
                foreach (var cli in clis)
                {
                    redis.Cli("FLUSHALL");
                    var redisRoot = await RepositoryAsync(cli, data, "cli-redis", $"{{type: redis, connection: \"{redis.Connection}\"}}");
                    try
                    {
                        var (seconds, summary) = await MaterializeAsync(cli, redisRoot, entities);
                        recordBytes = await AverageValueBytesAsync(redis.Connection);
                        Add(report, $"redis, {Label(cli)}, run {run}: {summary}; average value {recordBytes} bytes");
                        Add(rows, Row($"`granary materialize`, Redis, {Label(cli)} (run {run})", seconds, entities, reference: null));
                    }
                    catch (InvalidOperationException e)
                    {
                        // A store that times out under load is a result too; the other cases still run.
                        Add(report, $"redis, {Label(cli)}, run {run}: FAILED {e.Message.Split('\n').Skip(2).FirstOrDefault()}");
                    }
                }

                redis.Cli("FLUSHALL");
                string[] arguments = ["-P", "64", "-t", "set", "-n", entities.ToString(CultureInfo.InvariantCulture), "-d", (recordBytes > 0 ? recordBytes : 150).ToString(CultureInfo.InvariantCulture), "-r", entities.ToString(CultureInfo.InvariantCulture), "-q"];
                var watch = Stopwatch.StartNew();
                var output = redis.Benchmark(arguments);
                watch.Stop();
                Add(report, $"redis-benchmark {string.Join(' ', arguments)}: {Last(output)}");
                Add(rows, Row($"`redis-benchmark {string.Join(' ', arguments.Take(10))}` (run {run})", watch.Elapsed.TotalSeconds, entities, reference: null));
            }
        }

        report.AppendLine(CultureInfo.InvariantCulture, $"Load average at end: {LoadAverage()}");
        report.AppendLine();
        report.AppendLine("| Case | Time | Entities/s | Ratio to DuckDB alone |");
        report.AppendLine("|---|---:|---:|---:|");
        foreach (var row in rows)
        {
            report.AppendLine(row);
        }

        Console.WriteLine();
        Console.WriteLine(report);
        var path = Path.Combine(dataDirectory, "materialize-cli-results.md");
        await File.WriteAllTextAsync(path, report.ToString());
        Console.WriteLine($"Written to {path}");
        return 0;
    }

    /// <summary>DuckDB's own time for the latest rows to Parquet, timed inside a fresh process (start-up not counted).</summary>
    private static async Task<double> ReferenceAsync(OnlineBenchData data)
    {
        var info = MaterializationBenchmark.SelfStartInfo();
        foreach (var argument in new[]
        {
            MaterializationBenchmark.CaseOption, "reference", data.Directory, data.Entities.ToString(CultureInfo.InvariantCulture), "1",
        })
        {
            info.ArgumentList.Add(argument);
        }

        var (exit, output, error) = await RunProcessAsync(info);
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        if (exit != 0 || line is null)
        {
            throw new InvalidOperationException($"The DuckDB reference failed (exit {exit}):\n{output}\n{error}");
        }

        var seconds = line.Split(' ').Single(p => p.StartsWith("seconds=", StringComparison.Ordinal))["seconds=".Length..];
        return double.Parse(seconds, CultureInfo.InvariantCulture);
    }

    /// <summary>A fresh repository around the source, applied with <c>granary apply</c> (not timed).</summary>
    private static async Task<string> RepositoryAsync(string cli, OnlineBenchData data, string name, string onlineStoreYaml)
    {
        var root = Path.Combine(data.Directory, "runs", $"{name}_{data.Entities}x1");
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        data.WriteRepository(root, onlineStoreYaml);
        var (exit, output, error) = await RunProcessAsync(Cli(cli, "apply", "--repo", root));
        return exit == 0 ? root : throw new InvalidOperationException($"granary apply failed (exit {exit}):\n{output}\n{error}");
    }

    /// <summary>
/// <c>granary materialize</c> as a process, timed from its start to its exit; returns its summary line, which must say
/// that every entity was written.
/// </summary>
    private static async Task<(double Seconds, string Summary)> MaterializeAsync(string cli, string root, long entities)
    {
        var watch = Stopwatch.StartNew();
        var (exit, output, error) = await RunProcessAsync(Cli(cli, "materialize", "1970-01-01", "2026-01-01", "--repo", root));
        watch.Stop();
        var summary = output.Trim();
        if (exit != 0 || !summary.Contains(string.Create(CultureInfo.InvariantCulture, $" {entities:N0} online values updated"), StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"granary materialize failed (exit {exit}):\n{output}\n{error}");
        }

        return (watch.Elapsed.TotalSeconds, summary);
    }

    private static ProcessStartInfo Cli(string cli, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(cli);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    private static async Task<(int Exit, string Output, string Error)> RunProcessAsync(ProcessStartInfo info)
    {
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}.");
        if (info.RedirectStandardInput)
        {
            process.StandardInput.Close();
        }

        var error = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output, await error);
    }

    /// <summary>The mean length of up to 2,000 stored values: what <c>redis-benchmark -d</c> should write.</summary>
    private static async Task<int> AverageValueBytesAsync(string connection)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(connection);
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var database = redis.GetDatabase();
        long total = 0, count = 0;
        foreach (var key in server.Keys(pattern: "*", pageSize: 1000).Take(2000))
        {
            if (await database.KeyTypeAsync(key) == RedisType.String)
            {
                total += await database.StringLengthAsync(key);
                count++;
            }
        }

        return count == 0 ? 100 : (int)Math.Round((double)total / count);
    }

    private static string Row(string name, double seconds, long entities, double? reference) =>
        string.Create(CultureInfo.InvariantCulture, $"| {name} | {seconds:F2} s | {entities / seconds:N0} | {(reference is { } r ? $"{seconds / r:F2}" : "")} |");

    private static void Add(List<string> rows, string row)
    {
        rows.Add(row);
        Console.WriteLine(row);
    }

    private static void Add(StringBuilder report, string line)
    {
        report.AppendLine(line);
        Console.WriteLine(line);
    }

    /// <summary>A CLI's folder names it: <c>net10.0</c> of this checkout's build, or wherever a copy was put.</summary>
    private static string Label(string cli) => Path.GetFileName(Path.GetDirectoryName(cli)) ?? cli;

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string Last(string output)
    {
        // redis-benchmark -q rewrites its progress line with carriage returns; keep the final text.
        var lines = output.Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(" | ", lines.Where(l => l.Contains("requests per second", StringComparison.Ordinal)));
    }
}

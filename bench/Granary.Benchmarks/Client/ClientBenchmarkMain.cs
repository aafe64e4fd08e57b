using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Granary.Benchmarks.OnlineServing;

namespace Granary.Benchmarks.Client;

/// <summary>
/// <c>--client [--quick] [BenchmarkDotNet options]</c>, or <c>--client --paired [--rounds N] [--block K]</c>
/// (<see cref="ClientPairedRun"/>, the cases interleaved): prepares a small embedded repository (10,000 users x 10
/// features, under <c>bench/.data/client</c>, reused between runs) and runs <see cref="ClientRoundTripBenchmarks"/>:
/// Granary.Client's round trip against a raw <see cref="HttpClient"/> POST of the same body, and over gRPC, all
/// against one real feature server started in this process.
/// </summary>
public static class ClientBenchmarkMain
{
    public const string Option = "--client";

    /// <summary>Runs the client benchmark if <paramref name="args"/> asks for it; null otherwise.</summary>
    public static async Task<int?> TryRunAsync(string[] args, string benchRoot)
    {
        if (!args.Contains(Option))
        {
            return null;
        }

        var quick = args.Contains("--quick");
        var bdnArgs = args.Where(a => a is not Option and not "--quick").ToList();
        var directory = Path.Combine(benchRoot, ".data", "client");
        var data = new OnlineBenchData(directory, ClientRoundTripBenchmarks.Users, rowsPerEntity: 1);
        await data.EnsureAsync(Console.Out);
        var root = Path.Combine(directory, "repository");
        await PrepareAsync(data, root);
        Environment.SetEnvironmentVariable(ClientRoundTripBenchmarks.RepositoryVariable, root);
        if (args.Contains(ClientPairedRun.Option))
        {
            return await ClientPairedRun.RunAsync(IntOption(args, "--rounds", 1000), IntOption(args, "--block", 16), Console.Out);
        }

        if (!bdnArgs.Contains("--filter"))
        {
            bdnArgs.AddRange(["--filter", "*ClientRoundTrip*"]);
        }

        // Bounded, as the online benchmarks are: the machine is shared. In this process: the binaries already built.
        var job = (quick ? Job.ShortRun : Job.Default.WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(20))
            .WithEnvironmentVariables(new EnvironmentVariable(ClientRoundTripBenchmarks.RepositoryVariable, root))
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithId(quick ? "QuickClient" : "Client");
        var config = DefaultConfig.Instance
            .AddJob(job)
            .AddColumn(StatisticColumn.P95)
            .WithArtifactsPath(Path.Combine(benchRoot, "BenchmarkDotNet.Artifacts"));
        var summaries = BenchmarkSwitcher.FromTypes([typeof(ClientRoundTripBenchmarks)]).Run([.. bdnArgs], config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static async Task PrepareAsync(OnlineBenchData data, string root)
    {
        var done = Path.Combine(root, "materialized.txt");
        if (File.Exists(done))
        {
            Console.WriteLine($"Using {root}.");
            return;
        }

        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        data.WriteRepository(root, "{type: embedded}");
        await using var store = FeatureStore.Open(root);
        await store.ApplyAsync();
        var result = (await store.MaterializeAsync(DateTimeOffset.UnixEpoch, OnlineBenchData.End, [OnlineBenchData.View])).Single();
        await File.WriteAllTextAsync(done, result.Rows.ToString(CultureInfo.InvariantCulture));
        Console.WriteLine($"Materialized {result.Rows:N0} users into {root}.");
    }
}

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Granary.Benchmarks.OnlineServing;
using Granary.Core.Values;
using Granary.OnlineServing;

namespace Granary.Benchmarks.Online;

/// <summary>
/// <c>--online-cache [--quick]</c>: an in-process lookup of two features per entity over a <c>redis-server</c> of the
/// benchmark's own, read through the Redis store as it is (the baseline) and through the same store with
/// <c>cache_ttl</c> (every key cached after the first call), in the same run (docs/BENCHMARKS.md, "Online read cache").
/// </summary>
[MemoryDiagnoser]
public class OnlineCacheBenchmarks
{
    public const string Option = "--online-cache";

    private const int Users = 10_000;

    private LocalRedis? _redis;
    private string _root = "";
    private FeatureStore _plain = null!;
    private FeatureStore _cached = null!;
    private OnlineFeaturesRequest _request = null!;

    [Params(1, 100)]
    public int Entities { get; set; }

    public static int? TryRun(string[] args, string benchRoot)
    {
        if (!args.Contains(Option))
        {
            return null;
        }

        var quick = args.Contains("--quick");
        var rest = args.Where(a => a is not (Option or "--quick")).ToArray();
        var job = (quick ? Job.ShortRun : Job.Default).WithToolchain(InProcessEmitToolchain.Instance).WithId(quick ? "CacheQuick" : "Cache");
        var config = DefaultConfig.Instance.AddJob(job.AsDefault()).WithArtifactsPath(Path.Combine(benchRoot, "BenchmarkDotNet.Artifacts"));
        var summary = BenchmarkRunner.Run<OnlineCacheBenchmarks>(config, rest);
        return summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) ? 1 : 0;
    }

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        _plain.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _cached.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _redis?.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS's temp cleaning.
        }
    }

    [Benchmark(Baseline = true)]
    public async Task<FeatureValue> Redis() => (await _plain.GetOnlineFeaturesAsync(_request)).Results[1].Values[0];

    [Benchmark]
    public async Task<FeatureValue> RedisThroughTheCache() => (await _cached.GetOnlineFeaturesAsync(_request)).Results[1].Values[0];

    private async Task SetupAsync()
    {
        _redis = LocalRedis.Start();
        _root = Path.Combine(Path.GetTempPath(), "granary-cache-bench-" + Guid.NewGuid().ToString("N")[..8]);
        await BenchUserStats.WriteRepositoryAsync(_root);
        var config = Path.Combine(_root, "granary.yaml");
        await File.WriteAllTextAsync(config, $"project: bench\nregistry: data/registry.db\nonline_store: {{type: redis, connection: \"{_redis.Connection}\"}}\n");
        _plain = new FeatureStoreBuilder(_root).Build();
        await _plain.ApplyAsync();
        await BenchUserStats.WriteUsersAsync(_plain, Users);
        await File.WriteAllTextAsync(config, $"project: bench\nregistry: data/registry.db\nonline_store: {{type: redis, connection: \"{_redis.Connection}\", cache_ttl: 1h}}\n");
        _cached = new FeatureStoreBuilder(_root).Build();
        var entities = new List<object?>(Entities);
        for (var i = 0; i < Entities; i++)
        {
            entities.Add((long)(i * 7 % Users));
        }

        _request = new OnlineFeaturesRequest { Features = ["user_stats:orders_7d", "user_stats:spend_7d"], Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = entities } };
        await _cached.GetOnlineFeaturesAsync(_request);
    }
}

using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Granary.Benchmarks.OnDemand;

/// <summary>
/// <c>--on-demand [--quick]</c>: <see cref="OnDemandLookupBenchmarks"/>, a lookup with and without on-demand features
/// in the same run (docs/BENCHMARKS.md, "On-demand features"). <c>--quick</c> is BenchmarkDotNet's short run.
/// </summary>
public static class OnDemandBenchmarkMain
{
    public const string Option = "--on-demand";

    public static int? TryRun(string[] args, string benchRoot)
    {
        if (!args.Contains(Option))
        {
            return null;
        }

        var quick = args.Contains("--quick");
        var rest = args.Where(a => a is not (Option or "--quick")).ToArray();
        var job = (quick ? Job.ShortRun : Job.Default)
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithId(quick ? "OnDemandQuick" : "OnDemand");
        var config = DefaultConfig.Instance
            .AddJob(job.AsDefault())
            .WithArtifactsPath(Path.Combine(benchRoot, "BenchmarkDotNet.Artifacts"));
        var summary = BenchmarkRunner.Run<OnDemandLookupBenchmarks>(config, rest);
        return summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) ? 1 : 0;
    }
}

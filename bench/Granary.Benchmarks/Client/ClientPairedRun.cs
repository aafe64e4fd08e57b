using System.Diagnostics;
using System.Globalization;

namespace Granary.Benchmarks.Client;

/// <summary>
/// <c>--client --paired [--rounds N] [--block K]</c>: the cases of <see cref="ClientRoundTripBenchmarks"/>
/// interleaved, for a ratio that holds on a shared machine. BenchmarkDotNet measures one case after another, so a
/// change in the machine's other load between two cases shows up as a difference between them; here every round runs
/// a block of K calls of each case (the order rotating from round to round), and the ratio to the baseline is taken
/// within each round, then its median over the rounds. Allocation is the process's total per call (the in-process
/// server's included, the same in every case), so differences between cases are what the clients allocate.
/// </summary>
public static class ClientPairedRun
{
    public const string Option = "--paired";

    private const int WarmUpRounds = 300;

    public static async Task<int> RunAsync(int rounds, int block, TextWriter output)
    {
        var bench = new ClientRoundTripBenchmarks();
        await bench.Setup();
        try
        {
            (string Name, Func<Task<int>> Call)[] cases =
            [
                ("Raw HttpClient POST (baseline)", bench.RawHttpPost),
                ("Raw HttpClient POST, no timeout", bench.RawHttpPostNoTimeout),
                ("GranaryClient, HTTP", bench.ClientHttp),
                ("GranaryClient, gRPC", bench.ClientGrpc),
                ("Raw gRPC stub call", bench.RawGrpc),
            ];
            for (var w = 0; w < WarmUpRounds; w++)
            {
                foreach (var (_, call) in cases)
                {
                    await call();
                }
            }

            var perCall = new double[cases.Length][];
            var allocated = new long[cases.Length];
            for (var c = 0; c < cases.Length; c++)
            {
                perCall[c] = new double[rounds];
            }

            for (var r = 0; r < rounds; r++)
            {
                for (var k = 0; k < cases.Length; k++)
                {
                    var c = (r + k) % cases.Length;
                    var call = cases[c].Call;
                    var bytesBefore = GC.GetTotalAllocatedBytes(precise: true);
                    var start = Stopwatch.GetTimestamp();
                    for (var i = 0; i < block; i++)
                    {
                        await call();
                    }

                    perCall[c][r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / block;
                    allocated[c] += GC.GetTotalAllocatedBytes(precise: true) - bytesBefore;
                }
            }

            Report(output, cases.Select(c => c.Name).ToArray(), perCall, allocated, rounds, block);
            return 0;
        }
        finally
        {
            await bench.Cleanup();
        }
    }

    private static void Report(TextWriter output, string[] names, double[][] perCall, long[] allocated, int rounds, int block)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine($"{rounds} rounds x {block} calls per case, interleaved; per-call times are block means (µs).");
        output.WriteLine("| Case | Median µs | P25 µs | P75 µs | Ratio to baseline: median of per-round ratios [95% CI] | Allocated per call |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|");
        for (var c = 0; c < names.Length; c++)
        {
            var sorted = perCall[c].Order().ToArray();
            var ratios = perCall[c].Zip(perCall[0], (x, b) => x / b).Order().ToArray();
            var (low, high) = MedianInterval(ratios);
            output.WriteLine(string.Format(
                inv,
                "| {0} | {1:0.0} | {2:0.0} | {3:0.0} | {4:0.000} [{5:0.000}, {6:0.000}] | {7:0.00} KB |",
                names[c],
                Quantile(sorted, 0.5),
                Quantile(sorted, 0.25),
                Quantile(sorted, 0.75),
                Quantile(ratios, 0.5),
                low,
                high,
                allocated[c] / (double)(rounds * block) / 1024));
        }
    }

    private static double Quantile(double[] sorted, double q)
    {
        var at = q * (sorted.Length - 1);
        var below = (int)Math.Floor(at);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((sorted[above] - sorted[below]) * (at - below));
    }

    // Distribution-free: the median lies between these order statistics with about 95% confidence (binomial, normal approximation).
    private static (double Low, double High) MedianInterval(double[] sorted)
    {
        var n = sorted.Length;
        var half = 1.96 * Math.Sqrt(n) / 2;
        var low = Math.Max(0, (int)Math.Floor((n / 2.0) - half));
        var high = Math.Min(n - 1, (int)Math.Ceiling((n / 2.0) + half));
        return (sorted[low], sorted[high]);
    }
}

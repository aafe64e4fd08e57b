using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text;

namespace Granary.Benchmarks.OnlineServing;

/// <summary>
/// Per-call latency percentiles, which BenchmarkDotNet does not give (its percentiles are of iteration means): every
/// call of a loop is timed on its own with <see cref="Stopwatch.GetTimestamp"/> after a warmup, and the sorted times
/// give p50 ... p99.9 and the maximum. GC pauses and scheduler noise that fall on a call count against it, as they would
/// in a server.
/// </summary>
public static class LookupLatency
{
    public static string Header =>
        "| Store | Case | Calls | Mean | p50 | p90 | p99 | p99.9 | Max | Gen0/1/2 GCs |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|";

    public static async Task<string> MeasureAsync(string store, string name, int calls, Func<int, ValueTask> call)
    {
        // Warmup: tiered JIT to its final code, caches and connections settled.
        var warmup = Math.Min(calls, 100_000);
        for (var i = 0; i < warmup; i++)
        {
            await call(i);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var gen0 = GC.CollectionCount(0);
        var gen1 = GC.CollectionCount(1);
        var gen2 = GC.CollectionCount(2);
        var times = new long[calls];
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await call(i);
            times[i] = Stopwatch.GetTimestamp() - start;
        }

        var gcs = $"{GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2}";
        var mean = times.Average();
        Array.Sort(times);
        string Micros(double ticks) => (ticks * 1_000_000.0 / Stopwatch.Frequency).ToString("F2", CultureInfo.InvariantCulture) + " µs";
        double At(double q) => times[Math.Min(times.Length - 1, (int)Math.Ceiling(q * times.Length) - 1)];
        var line = $"| {store} | {name} | {calls:N0} | {Micros(mean)} | {Micros(At(0.50))} | {Micros(At(0.90))} | {Micros(At(0.99))} | {Micros(At(0.999))} | {Micros(times[^1])} | {gcs} |";
        Console.WriteLine(line);
        return line;
    }

    public static string Environment() => new StringBuilder()
        .Append(CultureInfo.InvariantCulture, $"GC: server={GCSettings.IsServerGC}, latency mode={GCSettings.LatencyMode}; ")
        .Append(CultureInfo.InvariantCulture, $"Stopwatch frequency {Stopwatch.Frequency:N0} Hz; {System.Environment.ProcessorCount} cores")
        .ToString();
}

using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Granary.Benchmarks.OnlineServing;
using Granary.Core.Model;
using Granary.Core.Values;
using Granary.Online;
using Granary.Online.Redis;

namespace Granary.Benchmarks.Online;

/// <summary>
/// <c>--redis-write [--records N] [--batch-bytes B] [--in-flight K]</c>: writes N distinct entities (default
/// 2,000,000) of one view with 10 features into a <c>redis-server</c> of the benchmark's own through
/// <see cref="RedisOnlineStore.WriteAsync"/>, in calls of 10,000 records with the next call's records encoded while the
/// previous call is written (as <c>granary materialize</c> does), then runs <c>redis-benchmark -P 64 -t set</c> of as
/// many values of the record's size on the same server: the reference, in the same run. Checks afterwards that the
/// server holds exactly N records (every write was applied) and a sample of them reads back as written.
/// </summary>
/// <remarks>
/// The script call of last-write-wins reads before it writes (MGET then MSET inside Lua), so it does more per record than
/// a plain SET; the ratio to <c>redis-benchmark</c> says what that and the client cost together.
/// </remarks>
public static class RedisWriteBenchmark
{
    public const string Option = "--redis-write";

    private const int CallSize = 10_000;
    private const string View = "bench_view";

    private static readonly RecordSchema Schema = new([.. Enumerable.Range(0, 10).Select(i => new Field(
        $"f{i}", (i % 3) switch { 0 => FeatureType.Int64, 1 => FeatureType.Float64, _ => FeatureType.String }))]);

    public static async Task<int?> TryRunAsync(string[] args)
    {
        if (!args.Contains(Option))
        {
            return null;
        }

        var records = 2_000_000;
        var options = new RedisOnlineStoreOptions { Connection = "" };
        for (var i = 0; i < args.Length - 1; i++)
        {
            switch (args[i])
            {
                case "--records":
                    records = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--batch-bytes":
                    options.MaxBatchBytes = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--in-flight":
                    options.MaxBatchesInFlight = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
            }
        }

        using var redis = LocalRedis.Start();
        options.Connection = redis.Connection;
        Console.WriteLine($"{DateTimeOffset.UtcNow:u}; {redis.Version()}");
        Console.WriteLine($"{RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, .NET {Environment.Version}; load average before: {LoadAverage()}");
        Console.WriteLine($"{records:N0} records of {Schema.Count} features, {Record(0).Length} bytes each; calls of {CallSize:N0}; batches of at most {options.MaxBatchBytes:N0} payload bytes, {options.MaxBatchesInFlight} in flight");

        // Encoding alone, timed apart, so the write rate below can be read with and without it.
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < records; start += CallSize)
        {
            GC.KeepAlive(Call(start, Math.Min(CallSize, records - start)));
        }

        var encodeSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"encoding alone: {encodeSeconds:F2} s ({records / encodeSeconds:N0} records/s)");

        await using (var store = new RedisOnlineStore(options, "bench"))
        {
            await store.InitializeAsync();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            clock.Restart();
            var written = 0L;
            Task<int>? pending = null;
            for (var start = 0; start < records; start += CallSize)
            {
                var call = Call(start, Math.Min(CallSize, records - start));
                written += pending is null ? 0 : await pending;
                pending = store.WriteAsync(call);
            }

            written += pending is null ? 0 : await pending;
            var seconds = clock.Elapsed.TotalSeconds;
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            Console.WriteLine($"Granary RedisOnlineStore.WriteAsync: {seconds:F2} s, {records / seconds:N0} records/s ({written:N0} written); " +
                $"{allocated / (double)records:F0} bytes allocated per record, encoding included; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F0} MiB");
            Console.WriteLine($"load average after Granary: {LoadAverage()}");

            var held = long.Parse(redis.Cli("DBSIZE").Trim(), CultureInfo.InvariantCulture);
            var sample = new[] { 0, records / 2, records - 1 };
            var read = new byte[]?[sample.Length];
            await store.ReadAsync([.. sample.Select(i => new OnlineKey(View, Key(i)))], read);
            var sampleOk = sample.Select((entity, i) => read[i] is { } r && r.AsSpan().SequenceEqual(Record(entity))).All(ok => ok);
            Console.WriteLine($"check: server holds {held:N0} keys (expected {records:N0}); sample reads back as written: {sampleOk}");
            if (held != records || written != records || !sampleOk)
            {
                Console.WriteLine("MISMATCH");
                return 1;
            }
        }

        redis.Cli("FLUSHALL");
        var size = Record(0).Length.ToString(CultureInfo.InvariantCulture);
        var n = records.ToString(CultureInfo.InvariantCulture);
        Console.WriteLine($"redis-benchmark -P 64 -t set -n {n} -d {size} -r {n} -q:");
        // With -q it redraws a progress line with carriage returns; the summary is what follows the last one.
        var reference = redis.Benchmark("-P", "64", "-t", "set", "-n", n, "-d", size, "-r", n, "-q").Trim();
        Console.WriteLine(reference[(reference.LastIndexOf('\r') + 1)..].Trim());
        Console.WriteLine($"load average after redis-benchmark: {LoadAverage()}");
        return 0;
    }

    private static OnlineWrite[] Call(int start, int count)
    {
        var call = new OnlineWrite[count];
        for (var i = 0; i < count; i++)
        {
            call[i] = new OnlineWrite(View, Key(start + i), Record(start + i));
        }

        return call;
    }

    private static EntityKey Key(long entity) => EntityKey.Create(FeatureValue.Int64(entity));

    private static byte[] Record(long entity)
    {
        Span<FeatureValue> values = new FeatureValue[Schema.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (i % 3) switch
            {
                0 => FeatureValue.Int64(entity * 31 + i),
                1 => FeatureValue.Float64((entity % 1000) / 7.0 + i),
                _ => FeatureValue.String(string.Create(CultureInfo.InvariantCulture, $"s{entity % 997}")),
            };
        }

        return OnlineRecord.Encode(Schema, 1_700_000_000_000_000 + entity, 1_700_000_000_000_000, values);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}

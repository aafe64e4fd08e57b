using System.Diagnostics;
using System.Globalization;
using Granary.Core.Model;
using Granary.Core.Values;
using Granary.Online;
using Granary.Online.Embedded;

namespace Granary.Benchmarks.Online;

/// <summary>
/// <c>--embedded-memory [--records N] [--through-store] [--data DIR]</c>: what the embedded online store holds in
/// memory per record, for N records (default 10,000,000) of one view of 10 features (f0-f3 float64, f4-f6 int64,
/// f7-f9 short strings; about 100 bytes encoded, as the online lookup benchmark's) keyed by one int64 join key.
/// By default the records go straight into <see cref="RecordMemory"/> the way a cold start replays the log
/// (<see cref="RecordMemory.ExpectRecords"/>, then <see cref="RecordMemory.Replay"/>), without SQLite;
/// <c>--through-store</c> writes them through <see cref="EmbeddedOnlineStore.WriteAsync"/> (batches of 10,000) into
/// a file under <c>--data</c>, closes it, and measures a fresh store opened over the file: what a restarted server
/// holds. Reported: managed heap after a full compacting collection and resident set size (VmRSS), each against
/// the process before the records, per record; the encoded bytes per record (key and record) beside them; and the
/// managed bytes split by what holds them, computed from the object layout of .NET on 64 bits.
/// </summary>
public static class EmbeddedMemoryBenchmark
{
    public const string Option = "--embedded-memory";

    private const string View = "stats";
    private const int BatchRows = 10_000;

    // Object layout on 64-bit .NET: an array is 16 bytes of header and method table plus 8 of length, its elements,
    // rounded up to 8; an object is 16 bytes plus its fields, rounded up to 8.
    private const int ArrayOverhead = 24;
    private const int EntityKeyObject = 32;

    public static async Task<int?> TryRunAsync(string[] args)
    {
        if (!args.Contains(Option))
        {
            return null;
        }

        var records = 10_000_000;
        var throughStore = args.Contains("--through-store");
        var directory = Path.Combine(Path.GetTempPath(), "granary-embedded-memory");
        for (var i = 0; i < args.Length - 1; i++)
        {
            switch (args[i])
            {
                case "--records":
                    records = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--data":
                    directory = args[++i];
                    break;
            }
        }

        var schema = Schema();
        var (managedBefore, rssBefore) = Measure();
        var clock = Stopwatch.StartNew();
        long keyBytes = 0;
        long recordBytes = 0;
        long arrayBytes = 0;
        object held;
        if (throughStore)
        {
            Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, "online.db");
            foreach (var file in Directory.GetFiles(directory, "online.db*"))
            {
                File.Delete(file);
            }

            await using (var writer = new EmbeddedOnlineStore(path))
            {
                await writer.InitializeAsync();
                var batch = new List<OnlineWrite>(BatchRows);
                for (var start = 0; start < records; start += BatchRows)
                {
                    batch.Clear();
                    for (var u = start; u < Math.Min(records, start + BatchRows); u++)
                    {
                        var (key, record) = Record(schema, u);
                        Count(key, record, ref keyBytes, ref recordBytes, ref arrayBytes);
                        batch.Add(new OnlineWrite(View, key, record));
                    }

                    await writer.WriteAsync(batch);
                }
            }

            Console.WriteLine($"written through the store in {clock.Elapsed.TotalSeconds:F1} s; file {new FileInfo(path).Length / (1024.0 * 1024):F0} MiB");
            // Only the reopened store is held from here: the writer and its batches are garbage.
            (managedBefore, rssBefore) = Measure();
            clock.Restart();
            var reopened = new EmbeddedOnlineStore(path);
            await reopened.InitializeAsync();
            Console.WriteLine($"reopened (log replayed) in {clock.Elapsed.TotalSeconds:F1} s, {reopened.Count:N0} records");
            held = reopened;
        }
        else
        {
            var memory = new RecordMemory();
            memory.ExpectRecords(records);
            for (var u = 0; u < records; u++)
            {
                var (key, record) = Record(schema, u);
                Count(key, record, ref keyBytes, ref recordBytes, ref arrayBytes);
                memory.Replay(View, key, record, u + 1);
            }

            Console.WriteLine($"filled in {clock.Elapsed.TotalSeconds:F1} s, {memory.Count:N0} records");
            held = memory;
        }

        var (managedAfter, rssAfter) = Measure();
        GC.KeepAlive(held);
        var managed = (double)(managedAfter - managedBefore) / records;
        var rss = (double)(rssAfter - rssBefore) / records;
        var keyArrays = (double)arrayBytes / records;
        Console.WriteLine($"Date (UTC): {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}; {Environment.ProcessorCount} cores; .NET {Environment.Version}; {(throughStore ? "through the store, reopened" : "RecordMemory, replayed")}");
        Console.WriteLine($"records:                    {records:N0} (10 features: 4 float64, 3 int64, 3 strings; int64 key)");
        Console.WriteLine($"encoded bytes per record:   {(double)(keyBytes + recordBytes) / records:F1} (key {(double)keyBytes / records:F1}, record {(double)recordBytes / records:F1})");
        Console.WriteLine($"managed heap per record:    {managed:F1} B ({(managedAfter - managedBefore) / (1024.0 * 1024 * 1024):F2} GiB in all)");
        Console.WriteLine($"  record and key arrays:    {keyArrays:F1} B (their bytes plus array headers and padding)");
        Console.WriteLine($"  EntityKey objects:        {EntityKeyObject:F1} B");
        Console.WriteLine($"  dictionary (nodes, buckets, and the rest): {managed - keyArrays - EntityKeyObject:F1} B");
        Console.WriteLine($"resident set per record:    {rss:F1} B ({(rssAfter - rssBefore) / (1024.0 * 1024 * 1024):F2} GiB in all; process {rssAfter / (1024.0 * 1024 * 1024):F2} GiB)");
        if (held is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        return 0;
    }

    private static RecordSchema Schema() => new(
    [
        .. Enumerable.Range(0, 10).Select(f => new Field($"f{f}", f < 4 ? FeatureType.Float64 : f < 7 ? FeatureType.Int64 : FeatureType.String)),
    ]);

    /// <summary>User <paramref name="user"/>'s key and record; values from a hash of the user, strings of 2-4 characters.</summary>
    private static (EntityKey Key, byte[] Record) Record(RecordSchema schema, int user)
    {
        Span<FeatureValue> values = new FeatureValue[10];
        var hash = (ulong)user * 0x9E3779B97F4A7C15UL;
        for (var f = 0; f < 10; f++)
        {
            hash ^= hash >> 29;
            hash *= 0xBF58476D1CE4E5B9UL;
            values[f] = f < 4 ? FeatureValue.Float64((hash % 1_000_000) / 1000.0)
                : f < 7 ? FeatureValue.Int64((long)(hash % 100_000))
                : FeatureValue.String(string.Create(CultureInfo.InvariantCulture, $"c{hash % 1_000}"));
        }

        var eventMicros = 1_750_000_000_000_000L + ((long)(hash % 7_776_000) * 1_000_000);
        return (EntityKey.Create(FeatureValue.Int64(user)), OnlineRecord.Encode(schema, eventMicros, eventMicros, values));
    }

    private static void Count(EntityKey key, byte[] record, ref long keyBytes, ref long recordBytes, ref long arrayBytes)
    {
        keyBytes += key.Bytes.Length;
        recordBytes += record.Length;
        arrayBytes += Rounded(ArrayOverhead + key.Bytes.Length) + Rounded(ArrayOverhead + record.Length);
    }

    private static long Rounded(long bytes) => (bytes + 7) & ~7L;

    /// <summary>Managed heap after a full, compacting collection, and VmRSS, in bytes.</summary>
    private static (long Managed, long Rss) Measure()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var managed = GC.GetTotalMemory(forceFullCollection: false);
        long rss = 0;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
            }
        }

        return (managed, rss);
    }
}

using System.Diagnostics;
using System.Globalization;
using Granary.Core.Time;
using Granary.Streaming.Events;
using Granary.Streaming.Ingest;
using Granary.Streaming.Sources;
using Microsoft.Data.Sqlite;

namespace Granary.Benchmarks.Streaming;

/// <summary>
/// <c>--stream-ingest [--keys N] [--events N] [--batch N] [--data DIR]</c>: events of <see cref="StreamBenchView"/>
/// (count, sum and mean over 1h and 1d) for N keys (default 1,000,000), decoded from Redis Streams entries, measured
/// two ways in one process: parse-only (<see cref="StreamEventDecoder"/> alone: parse and validate every event, the
/// reference) and ingest (the same decoding, then <see cref="StreamIngestor"/> over the embedded store's
/// <see cref="Online.IAggregateStateStore"/> in batches). The reference runs before and after the ingest, so a change
/// in the machine's load between them shows. Events are in event-time order over one day, every key once per N
/// events; the default 3,000,000 events give each key 3. Generating the entries is not timed. Reported per case:
/// events/s of wall time, and of CPU time (the process's, all threads: events per second per core busy); then the
/// state the store holds per key (bytes of the live state rows of the log, and of the SQLite file) and the managed heap it adds.
/// </summary>
internal static class StreamIngestBenchmark
{
    public const string Option = "--stream-ingest";

    public static async Task<int?> TryRunAsync(string[] args)
    {
        if (!args.Contains(Option))
        {
            return null;
        }

        var keys = StreamBenchView.IntOption(args, "--keys", 1_000_000);
        var events = StreamBenchView.IntOption(args, "--events", 3 * keys);
        var batch = StreamBenchView.IntOption(args, "--batch", 5_000);
        var directory = StreamBenchView.DataDirectory(args, "granary-stream-ingest");
        var (target, shape) = StreamBenchView.Create();
        var start = UtcMicros.From(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var step = 86_400_000_000L / events;
        Func<long, long> micros = i => start + (i * step);
        Console.WriteLine($"Stream ingest: {events:N0} events over {keys:N0} keys, batches of {batch:N0}; {Environment.ProcessorCount} logical CPUs");

        // Warm-up, not reported: the first pass JITs the decoder and the ingestor (and tiered compilation settles).
        var warmup = Math.Min(events, 20 * batch);
        Run("warm-up", warmup, batch, keys, micros, shape, null, quiet: true);
        Run("warm-up", warmup, batch, keys, micros, shape, StreamBenchView.Ingestor(new DictionaryStateStore(), target), quiet: true);
        var parseFirst = Run("parse-only", events, batch, keys, micros, shape, null);
        // The ingestor without a store: the aggregation's and the ingestor's own share of the cost.
        Run("ingest, dictionary store (breakdown)", events, batch, keys, micros, shape, StreamBenchView.Ingestor(new DictionaryStateStore(), target));
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        await using var store = StreamBenchView.FreshStore(directory);
        var path = Path.Combine(directory, "online.db");
        var ingestor = StreamBenchView.Ingestor(store, target);
        var ingest = Run("ingest, embedded store", events, batch, keys, micros, shape, ingestor);
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        var parseSecond = Run("parse-only", events, batch, keys, micros, shape, null);

        var reference = (parseFirst.PerSecond + parseSecond.PerSecond) / 2;
        Console.WriteLine($"ingest / parse-only (mean of both references): {ingest.PerSecond / reference:0.000} (goal >= 0.5)");
        Console.WriteLine($"ingest per CPU-second: {ingest.PerCpuSecond:N0} events (goal 200,000)");
        var (stored, stateBytes) = StateSize(path);
        var fileBytes = Directory.GetFiles(directory, "online.db*").Sum(f => new FileInfo(f).Length);
        Console.WriteLine($"state: {stored:N0} keys, {stateBytes / (double)stored:N1} bytes of state per key, {fileBytes / (double)stored:N1} bytes of SQLite file per key, managed heap {(heapAfter - heapBefore) / (double)stored:N1} bytes per key (store open)");
        return 0;
    }

    /// <summary>One pass over every event: decoded, and ingested in batches when <paramref name="ingestor"/> is given.</summary>
    private static Result Run(string name, int events, int batch, int keys, Func<long, long> micros, StreamEventShape shape, StreamIngestor? ingestor, bool quiet = false)
    {
        var decoder = new StreamEventDecoder(shape);
        var messages = new SourceMessage[batch];
        var decoded = new StreamEvent[batch];
        var wall = TimeSpan.Zero;
        var cpu = TimeSpan.Zero;
        var process = Process.GetCurrentProcess();
        double checksum = 0;
        for (long first = 0; first < events; first += batch)
        {
            var count = (int)Math.Min(batch, events - first);
            if (count != messages.Length)
            {
                messages = new SourceMessage[count];
                decoded = new StreamEvent[count];
            }

            StreamBenchView.Fill(messages, first, keys, micros);
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            for (var m = 0; m < count; m++)
            {
                if (!decoder.TryDecode(messages[m], out decoded[m], out var malformed))
                {
                    throw new InvalidOperationException($"Message {messages[m].Id}: {malformed}");
                }
            }

            if (ingestor is not null)
            {
                ingestor.IngestAsync(decoded).GetAwaiter().GetResult();
            }
            else
            {
                // Keep the decoded values observable, so the reference cannot skip work the ingest does.
                checksum += decoded[count - 1].Columns[0].IsNull ? 0 : 1;
            }

            wall += clock.Elapsed;
            process.Refresh();
            cpu += process.TotalProcessorTime - cpuBefore;
        }

        var result = new Result(events / wall.TotalSeconds, events / cpu.TotalSeconds);
        if (quiet)
        {
            return result;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-36} {wall.TotalSeconds,8:0.00} s wall {cpu.TotalSeconds,8:0.00} s CPU  {result.PerSecond,12:N0} events/s  {result.PerCpuSecond,12:N0} events/CPU-s  (check {checksum})"));
        return result;
    }

    private static (long Keys, long Bytes) StateSize(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        // The live state rows of the log (those with a version): the latest of each key.
        command.CommandText = "SELECT count(*), coalesce(sum(length(record)), 0) FROM log WHERE seq IN (SELECT max(seq) FROM log WHERE version IS NOT NULL GROUP BY view, entity)";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private readonly record struct Result(double PerSecond, double PerCpuSecond);
}

using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Granary.Core.Time;
using Granary.Streaming.Events;
using Granary.Streaming.Ingest;
using Granary.Streaming.Sources;

namespace Granary.Benchmarks.Streaming;

/// <summary>
/// <c>--stream-lag [--rate N] [--seconds N] [--keys N] [--tick-ms N] [--data DIR]</c>: event-to-servable lag at a
/// steady rate (default 50,000 events/s for 30 s over 1,000,000 keys) on the embedded store. Open loop: every tick
/// (default 10 ms) the events due since the last one are stamped with the instant they were due (their event time,
/// the current time of a producer that keeps the schedule whether or not ingestion keeps up), decoded from Redis
/// Streams entries as a consumer receives them and ingested as one batch. The lag is the ingestor's own
/// <c>granary.stream.event_to_servable.lag</c> histogram, read with a <see cref="MeterListener"/>: from an event's time
/// to the commit of its key's state, after which a read serves it. The first 10% of the run is a warm-up, not counted.
/// </summary>
internal static class StreamLagBenchmark
{
    public const string Option = "--stream-lag";

    public static async Task<int?> TryRunAsync(string[] args)
    {
        if (!args.Contains(Option))
        {
            return null;
        }

        var rate = StreamBenchView.IntOption(args, "--rate", 50_000);
        var seconds = StreamBenchView.IntOption(args, "--seconds", 30);
        var keys = StreamBenchView.IntOption(args, "--keys", 1_000_000);
        var tick = TimeSpan.FromMilliseconds(StreamBenchView.IntOption(args, "--tick-ms", 10));
        var (target, shape) = StreamBenchView.Create();
        await using var store = StreamBenchView.FreshStore(StreamBenchView.DataDirectory(args, "granary-stream-lag"));
        var ingestor = StreamBenchView.Ingestor(store, target);
        var decoder = new StreamEventDecoder(shape);
        var lags = new List<double>(rate * seconds);
        var counting = false;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == StreamIngestMetrics.LagName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
        {
            if (Volatile.Read(ref counting))
            {
                lags.Add(value);
            }
        });
        listener.Start();

        Console.WriteLine($"Stream lag: {rate:N0} events/s for {seconds} s over {keys:N0} keys, a batch every {tick.TotalMilliseconds} ms");
        var started = UtcMicros.From(TimeProvider.System.GetUtcNow());
        var total = (long)rate * seconds;
        var clock = Stopwatch.StartNew();
        long sent = 0, batches = 0, largest = 0;
        while (sent < total)
        {
            // Every event due by now, each stamped with the instant it was due.
            var due = Math.Min(total, (long)(clock.Elapsed.TotalSeconds * rate));
            if (due <= sent)
            {
                Thread.Sleep(tick);
                continue;
            }

            var count = (int)(due - sent);
            var messages = new SourceMessage[count];
            StreamBenchView.Fill(messages, sent, keys, i => started + (i * 1_000_000L / rate));
            var decoded = new StreamEvent[count];
            for (var m = 0; m < count; m++)
            {
                if (!decoder.TryDecode(messages[m], out decoded[m], out var malformed))
                {
                    throw new InvalidOperationException($"Message {messages[m].Id}: {malformed}");
                }
            }

            Volatile.Write(ref counting, sent >= total / 10);
            await ingestor.IngestAsync(decoded);
            sent = due;
            batches++;
            largest = Math.Max(largest, count);
        }

        var elapsed = clock.Elapsed.TotalSeconds;
        listener.Dispose();
        lags.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sent {sent:N0} events in {elapsed:0.0} s ({sent / elapsed:N0}/s achieved), {batches:N0} batches (largest {largest:N0})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"event-to-servable lag over {lags.Count:N0} events: p50 {Percentile(lags, 0.50) * 1000:0.0} ms, p99 {Percentile(lags, 0.99) * 1000:0.0} ms, p99.9 {Percentile(lags, 0.999) * 1000:0.0} ms, max {(lags.Count == 0 ? 0 : lags[^1]) * 1000:0.0} ms (goal p99 < 100 ms)"));
        return 0;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

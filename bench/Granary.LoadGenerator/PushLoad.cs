using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Granary.OnlineServing;
using Granary.Push;

namespace Granary.LoadGenerator;

/// <summary>
/// Single-row pushes over HTTP, closed loop, and their durability check: <c>--connections</c> keep-alive connections
/// (default 32), each sending <c>POST /push</c> of one row in Feast's format and its next only once the last is
/// answered, so a push counts only once the server has acknowledged it durable. Every connection upserts its own
/// <c>--users</c> users (default 100, from <c>--first-user</c> on) with rising event times and values, as
/// bench/Granary.Benchmarks/Online/PushVersusReadBenchmark.cs does in process; the last value each user was
/// acknowledged is written to <c>--acks FILE</c> (<c>user value</c> lines), which <see cref="VerifyAsync"/> reads
/// back against the store once the server is gone (killed, not stopped: nothing unacknowledged gets a chance to land).
/// The repository is <see cref="PushRepository"/>'s.
/// </summary>
internal static class PushLoad
{
    public static async Task<string> RunAsync(Options options)
    {
        var url = new Uri(options.Required("url"));
        var target = new Uri(url, "push");
        var connections = options.Int("connections", 32);
        var users = options.Int("users", 100);
        var firstUser = options.Int("first-user", PushRepository.ReadUsers);
        var duration = options.Double("duration", 10);
        var warmup = options.Double("warmup", 3);
        var label = options.String("label") ?? $"push 1 row, {connections} connections";
        var acknowledged = new long[connections * users];
        var open = new RawHttpConnections.Connection[connections];
        for (var c = 0; c < connections; c++)
        {
            open[c] = await RawHttpConnections.Connection.OpenAsync(target);
        }

        var begin = Stopwatch.GetTimestamp();
        var measureFrom = begin + (long)(warmup * Stopwatch.Frequency);
        var measureTo = measureFrom + (long)(duration * Stopwatch.Frequency);
        var latencies = new List<long>[connections];
        var errors = 0;
        string? firstError = null;

        async Task WorkerAsync(int c)
        {
            var connection = open[c];
            var list = latencies[c] = new List<long>(1 << 15);
            var buffer = new byte[1024];
            for (var n = 0; ; n++)
            {
                var sent = Stopwatch.GetTimestamp();
                if (sent >= measureTo)
                {
                    return;
                }

                var slot = (c * users) + (n % users);
                var value = n + 2L;
                var length = Format(buffer, target, firstUser + slot, value);
                var ok = await connection.ExchangeAsync(buffer.AsMemory(0, length));
                var end = Stopwatch.GetTimestamp();
                if (ok)
                {
                    // Acknowledged: from here on the server owes this value (or a later one) for this user.
                    acknowledged[slot] = value;
                }
                else if (Interlocked.Increment(ref errors) == 1)
                {
                    firstError = Encoding.UTF8.GetString(connection.Answer);
                }

                if (ok && sent >= measureFrom && end <= measureTo)
                {
                    list.Add(end - sent);
                }
            }
        }

        try
        {
            await Task.WhenAll(Enumerable.Range(0, connections).Select(c => Task.Run(() => WorkerAsync(c))));
        }
        finally
        {
            foreach (var connection in open)
            {
                connection.Socket.Dispose();
            }
        }

        if (options.String("acks") is { } acks)
        {
            var lines = new StringBuilder();
            for (var slot = 0; slot < acknowledged.Length; slot++)
            {
                if (acknowledged[slot] != 0)
                {
                    lines.Append(CultureInfo.InvariantCulture, $"{firstUser + slot} {acknowledged[slot]}\n");
                }
            }

            await File.AppendAllTextAsync(acks, lines.ToString());
        }

        var all = latencies.SelectMany(l => l).ToArray();
        return string.Create(CultureInfo.InvariantCulture,
            $"{label} | closed loop, {connections} in flight, {all.Length / duration:F0}/s, errors {errors} | latency (ms): {LatencyStats.Percentiles(all)}{(firstError is null ? "" : $" | first error: {firstError.ReplaceLineEndings(" ")}")}");
    }

    /// <summary>
    /// Reads every user of <c>--acks FILE</c> back through a fresh <see cref="FeatureStore"/> over <c>--repo</c>
    /// (after the server is killed) and counts those whose value is not the last one acknowledged. A later value
    /// than acknowledged cannot occur here (each connection waits for its answer), so it counts as wrong too.
    /// </summary>
    public static async Task<int> VerifyAsync(Options options)
    {
        var expected = new Dictionary<long, long>();
        foreach (var line in await File.ReadAllLinesAsync(options.Required("acks")))
        {
            if (line.Split(' ') is [var user, var value])
            {
                expected[long.Parse(user, CultureInfo.InvariantCulture)] = long.Parse(value, CultureInfo.InvariantCulture);
            }
        }

        await using var store = FeatureStore.Open(Path.GetFullPath(options.Required("repo")));
        var missing = 0;
        foreach (var (user, value) in expected)
        {
            var response = await store.GetOnlineFeaturesAsync(new OnlineFeaturesRequest
            {
                Features = [$"{PushRepository.View}:{PushRepository.Orders}"],
                Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [user] },
            });
            var served = response[PushRepository.Orders].Values[0];
            if (served.IsNull || served.AsInt64() != value)
            {
                missing++;
            }
        }

        Console.WriteLine($"push durability: {expected.Count:N0} users acknowledged, {missing} not read back with their last acknowledged value");
        return missing == 0 ? 0 : 1;
    }

    /// <summary>One whole HTTP/1.1 request into <paramref name="buffer"/>: its length.</summary>
    private static int Format(byte[] buffer, Uri target, long user, long value)
    {
        // The body first, after room for the head, whose Content-Length depends on it.
        const int HeadRoom = 160;
        var time = PushRepository.Epoch.AddSeconds(value);
        if (!Utf8.TryWrite(buffer.AsSpan(HeadRoom), CultureInfo.InvariantCulture,
            $"{{\"push_source_name\":\"{PushRepository.Source}\",\"df\":{{\"user_id\":[{user}],\"event_timestamp\":[\"{time:yyyy-MM-dd'T'HH:mm:ss'Z'}\"],\"{PushRepository.Orders}\":[{value}],\"{PushRepository.Spend}\":[{value * 1.5:R}]}},\"to\":\"online\"}}",
            out var body)
            || !Utf8.TryWrite(buffer, CultureInfo.InvariantCulture,
                $"POST {target.PathAndQuery} HTTP/1.1\r\nHost: {target.Authority}\r\nContent-Type: application/json\r\nContent-Length: {body}\r\n\r\n",
                out var head)
            || head > HeadRoom)
        {
            throw new InvalidOperationException("A push request does not fit its buffer.");
        }

        buffer.AsSpan(HeadRoom, body).CopyTo(buffer.AsSpan(head));
        return head + body;
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Google.Protobuf;
using Granary.Contracts.Grpc.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Granary.LoadGenerator;

/// <summary>
/// Load at a fixed rate (open loop): request i is due at start + i / rate whatever became of the ones before, and
/// its latency runs from that due time, not from when it was sent, so a stalled server is charged for every request
/// it delayed (no coordinated omission). Requests go out over <c>--connections</c> HTTP/1.1 connections
/// (<c>http</c>: <see cref="PacedHttp"/>, two threads and no thread pool, and <see cref="RawHttpConnections"/> for
/// closed loop; <c>httpclient</c>: SocketsHttpHandler), or one HTTP/2 connection for gRPC; a request that finds them
/// all busy waits for one, and that wait counts. <c>--rate 0</c> runs closed loop instead: <c>--connections</c>
/// workers each sending the next request when the last one answers, as wrk does, for the maximum throughput.
/// Options: --url, --rate, --duration (s, measured, default 20), --warmup (s, default 3), --connections (32),
/// --entities (1), --features (10), --refs (view:feature,... instead of --features), --ids (100000), --label, --append FILE.
/// </summary>
internal static class OpenLoop
{
    private static readonly Method<GetOnlineFeaturesRequest, GetOnlineFeaturesResponse> GetOnlineFeatures = new(
        MethodType.Unary,
        "granary.v1.FeatureServing",
        "GetOnlineFeatures",
        Marshallers.Create(m => m.ToByteArray(), GetOnlineFeaturesRequest.Parser.ParseFrom),
        Marshallers.Create(m => m.ToByteArray(), GetOnlineFeaturesResponse.Parser.ParseFrom));

    public static async Task<string> RunAsync(string mode, Options options)
    {
        var url = new Uri(options.Required("url"));
        var rate = options.Double("rate", 0);
        var duration = options.Double("duration", 20);
        var warmup = options.Double("warmup", 3);
        var connections = options.Int("connections", 32);
        var entities = options.Int("entities", 1);
        var features = options.Int("features", 10);
        var ids = options.Int("ids", 100_000);
        var refs = options.String("refs");
        var label = options.String("label") ?? $"{mode} {entities}x{features}";
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            UseProxy = false,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            EnableMultipleHttp2Connections = true,
        };

        Func<int, Task<bool>> send;
        IDisposable owner;
        SemaphoreSlim? gate = null;
        if (mode == "grpc")
        {
            // One HTTP/2 connection, and at most --connections calls on it at a time (the rest wait here, their wait
            // counted from the due time), as the HTTP/1.1 client has at most that many connections. Unbounded, a
            // moment's backlog turns into thousands of streams and the run never recovers.
            handler.EnableMultipleHttp2Connections = false;
            gate = new SemaphoreSlim(connections);
            var channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions { HttpHandler = handler });
            var invoker = channel.CreateCallInvoker();
            var requests = Requests.GrpcRequests(entities, features, ids, 4096);
            send = async i =>
            {
                var response = await invoker.AsyncUnaryCall(GetOnlineFeatures, null, default, requests[i & 4095]);
                return response.Results.Count == features + 1;
            };
            owner = channel;
        }
        else if (mode == "http" && rate > 0)
        {
            handler.Dispose();
            var target = url.AbsolutePath.Length > 1 ? url : new Uri(url, "get-online-features");
            using var paced = PacedHttp.Open(target, Requests.JsonBodyBytes(entities, features, ids, 4096, refs), connections);
            return paced.Run(label, rate, duration, warmup);
        }
        else if (mode == "http")
        {
            var target = url.AbsolutePath.Length > 1 ? url : new Uri(url, "get-online-features");
            var raw = await RawHttpConnections.OpenAsync(target, Requests.JsonBodyBytes(entities, features, ids, 4096, refs), connections);
            send = raw.SendAsync;
            owner = raw;
            handler.Dispose();
        }
        else
        {
            var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
            var bodies = Requests.JsonBodyBytes(entities, features, ids, 4096, refs);
            var target = url.AbsolutePath.Length > 1 ? url : new Uri(url, "get-online-features");
            var json = new MediaTypeHeaderValue("application/json");
            send = async i =>
            {
                using var content = new ByteArrayContent(bodies[i & 4095]);
                content.Headers.ContentType = json;
                using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = content };
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                return response.IsSuccessStatusCode;
            };
            owner = client;
        }

        using (owner)
        {
            // Connections and JIT before anything counts.
            await Task.WhenAll(Enumerable.Range(0, Math.Min(connections, 8)).Select(send));
            return rate > 0
                ? await OpenAsync(label, gate is null ? send : async i =>
                {
                    await gate.WaitAsync();
                    try
                    {
                        return await send(i);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }, rate, duration, warmup)
                : await ClosedAsync(label, send, connections, duration, warmup);
        }
    }

    private static async Task<string> OpenAsync(string label, Func<int, Task<bool>> send, double rate, double duration, double warmup)
    {
        var total = (int)(rate * (warmup + duration));
        var first = (int)(rate * warmup);
        var latency = new long[total];
        var service = new long[total];
        var lateness = new long[total];
        var outstanding = 0;
        var launched = 0;
        var freq = (double)Stopwatch.Frequency;
        var done = new TaskCompletionSource();
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100;

        async Task FireAsync(int i, long due)
        {
            var sent = Stopwatch.GetTimestamp();
            lateness[i] = sent - due;
            bool ok;
            try
            {
                ok = await send(i);
            }
            catch (Exception e) when (e is HttpRequestException or RpcException or TaskCanceledException or IOException or System.Net.Sockets.SocketException)
            {
                ok = false;
            }

            var end = Stopwatch.GetTimestamp();
            latency[i] = ok ? end - due : -1;
            service[i] = end - sent;
            if (Interlocked.Decrement(ref outstanding) == 0 && Volatile.Read(ref launched) == 1)
            {
                done.TrySetResult();
            }
        }

        var scheduler = new Thread(() =>
        {
            for (var i = 0; i < total; i++)
            {
                var due = start + (long)(i * freq / rate);
                Pacing.SleepUntil(due);

                if (Volatile.Read(ref outstanding) > 50_000)
                {
                    // Hopelessly overloaded: stop offering; the rest count as failed.
                    for (var j = i; j < total; j++)
                    {
                        latency[j] = -1;
                    }

                    break;
                }

                Interlocked.Increment(ref outstanding);
                _ = FireAsync(i, due);
            }

            Volatile.Write(ref launched, 1);
            if (Volatile.Read(ref outstanding) == 0)
            {
                done.TrySetResult();
            }
        })
        { IsBackground = true, Name = "scheduler", Priority = ThreadPriority.AboveNormal };
        scheduler.Start();
        await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromSeconds(warmup + duration + 30)));

        var measured = latency.AsSpan(first).ToArray();
        var errors = measured.Count(l => l < 0);
        var ok = measured.Where(l => l >= 0).ToArray();
        var achieved = ok.Length / duration;
        return string.Create(CultureInfo.InvariantCulture,
            $"{label} | open loop, offered {rate:F0}/s, achieved {achieved:F0}/s, errors {errors} | from due time (ms): {LatencyStats.Percentiles(ok)} | service (ms): {LatencyStats.Percentiles(service.AsSpan(first).ToArray())} | send lateness p99 {LatencyStats.Ms(LatencyStats.Percentile(LatencyStats.Sorted(lateness.AsSpan(first).ToArray()), 0.99)):F3} ms");
    }

    private static async Task<string> ClosedAsync(string label, Func<int, Task<bool>> send, int connections, double duration, double warmup)
    {
        var begin = Stopwatch.GetTimestamp();
        var measureFrom = begin + (long)(warmup * Stopwatch.Frequency);
        var measureTo = measureFrom + (long)(duration * Stopwatch.Frequency);
        var next = 0;
        var errors = 0;
        var lists = new List<long>[connections];

        async Task WorkerAsync(int w)
        {
            var list = lists[w] = new List<long>(1 << 16);
            while (true)
            {
                var sent = Stopwatch.GetTimestamp();
                if (sent >= measureTo)
                {
                    return;
                }

                bool ok;
                try
                {
                    ok = await send(Interlocked.Increment(ref next));
                }
                catch (Exception e) when (e is HttpRequestException or RpcException or TaskCanceledException or IOException or System.Net.Sockets.SocketException)
                {
                    ok = false;
                }

                var end = Stopwatch.GetTimestamp();
                if (sent >= measureFrom && end <= measureTo)
                {
                    if (ok)
                    {
                        list.Add(end - sent);
                    }
                    else
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, connections).Select(w => Task.Run(() => WorkerAsync(w))));
        var all = lists.SelectMany(l => l).ToArray();
        return string.Create(CultureInfo.InvariantCulture,
            $"{label} | closed loop, {connections} in flight, {all.Length / duration:F0}/s, errors {errors} | latency (ms): {LatencyStats.Percentiles(all)}");
    }
}

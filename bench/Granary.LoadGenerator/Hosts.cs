using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using Granary.OnlineServing;
using Granary.Server;
using Granary.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Granary.LoadGenerator;

/// <summary>
/// The servers under load, each in a process of its own, on free loopback ports, until SIGTERM or SIGINT. Each prints its addresses (<c>HTTP url</c>, <c>GRPC url</c>) and then <c>READY</c> on stdout.
/// </summary>
internal static class Hosts
{
    /// <summary>Granary's own <see cref="GranaryServer"/> as <c>granary serve</c> runs it, console log and all.</summary>
    public static async Task ServeGranaryAsync(Options options)
    {
        using var pauses = new PauseRecorder();
        await using var server = new GranaryServer(
            new GranaryServerOptions { RepositoryPath = Path.GetFullPath(options.Required("repo")), Port = 0, GrpcPort = 0, ShutdownTimeout = TimeSpan.FromSeconds(2) });
        await server.StartAsync();
        Console.WriteLine($"HTTP {server.HttpUrl}");
        Console.WriteLine($"GRPC {server.GrpcUrl}");
        Console.WriteLine("READY");
        await WaitForSignalAsync();
        await server.StopAsync();
        PrintGcSummary();
        Console.WriteLine(pauses.Summary());
    }

    /// <summary>
    /// A trivial Kestrel endpoint: the same slim builder, HTTP/1.1 listener and Release build as Granary's server,
    /// answering <c>POST /get-online-features</c> with the constant bytes of <c>--body FILE</c> (a real 1x10
    /// response captured from Granary) and their Content-Length. The request body is left to Kestrel to drain.
    /// </summary>
    public static async Task ServeTrivialAsync(Options options)
    {
        using var pauses = new PauseRecorder();
        var body = await File.ReadAllBytesAsync(options.Required("body"));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1));
        await using var app = builder.Build();
        app.MapPost("/get-online-features", (HttpContext context) =>
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = body.Length;
            return context.Response.Body.WriteAsync(body).AsTask();
        });
        await app.StartAsync();
        Console.WriteLine($"HTTP {app.Urls.First()}/");
        Console.WriteLine("READY");
        await WaitForSignalAsync();
        await app.StopAsync();
        PrintGcSummary();
        Console.WriteLine(pauses.Summary());
    }

    /// <summary>
    /// Where the time goes: Granary's services and routes (<c>AddGranaryServer</c>, <c>MapGranary</c>) in a host
    /// built as <see cref="GranaryServer"/> builds its own, plus endpoints that each skip more of the work:
    /// <list type="bullet">
    /// <item><c>/probe/canned</c>: reads the body, answers the canned 1x10 response with its Content-Length, as Granary writes.</item>
    /// <item><c>/probe/store?f=F</c>: reads the body, does the real lookup of 1 user x F features (request prebuilt, so no parsing), answers canned.</item>
    /// <item><c>/probe/json?f=F</c>: as store, then writes the real JSON response (<see cref="OnlineResponseJson"/>, a new writer and buffer per request).</item>
    /// </list>
    /// </summary>
    public static async Task ServeProbeAsync(Options options)
    {
        var repo = Path.GetFullPath(options.Required("repo"));
        var canned = await File.ReadAllBytesAsync(options.Required("body"));
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = repo });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1));
        builder.Services.AddGranaryServer(server => server.RepositoryPath = repo);
        await using var app = builder.Build();
        app.MapGranary();
        var store = app.Services.GetRequiredService<FeatureStore>();
        var random = new Random(42);
        var ids = Enumerable.Range(0, 4096).Select(_ => (long)random.Next(options.Int("ids", 100_000))).ToArray();
        var prebuilt = new Dictionary<int, OnlineFeaturesRequest[]>();
        foreach (var f in new[] { 10, 50 })
        {
            var features = Enumerable.Range(0, f).Select(i => $"{Requests.View}:f{i}").ToArray();
            prebuilt[f] = [.. ids.Select(id => new OnlineFeaturesRequest { Features = features, Entities = new Dictionary<string, IReadOnlyList<object?>> { ["user_id"] = [id] } })];
        }

        var next = 0;
        app.MapPost("/probe/canned", async (HttpContext context) =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            await WriteCannedAsync(context, canned);
        });
        app.MapPost("/probe/store", async (HttpContext context) =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            var requests = prebuilt[int.Parse(context.Request.Query["f"].FirstOrDefault() ?? "10", System.Globalization.CultureInfo.InvariantCulture)];
            await store.GetOnlineFeaturesAsync(requests[Interlocked.Increment(ref next) & 4095], context.RequestAborted);
            await WriteCannedAsync(context, canned);
        });
        app.MapPost("/probe/json", async (HttpContext context) =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            var requests = prebuilt[int.Parse(context.Request.Query["f"].FirstOrDefault() ?? "10", System.Globalization.CultureInfo.InvariantCulture)];
            var response = await store.GetOnlineFeaturesAsync(requests[Interlocked.Increment(ref next) & 4095], context.RequestAborted);
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                OnlineResponseJson.Write(writer, response);
            }

            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = buffer.WrittenCount;
            await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
        });
        await app.StartAsync();
        await store.GetOnlineFeaturesAsync(prebuilt[10][0]);
        Console.WriteLine($"HTTP {app.Urls.First()}/");
        Console.WriteLine("READY");
        await WaitForSignalAsync();
        await app.StopAsync();
    }

    private static async Task WriteCannedAsync(HttpContext context, byte[] canned)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = canned.Length;
        await context.Response.Body.WriteAsync(canned, context.RequestAborted);
    }

    /// <summary>How much the process collected and paused, for the log: tail latency on two cores is often GC.</summary>
    private static void PrintGcSummary()
    {
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"GC: gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}; paused {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms in all; allocated {GC.GetTotalAllocatedBytes() / (1024 * 1024)} MiB; heap {info.HeapSizeBytes / (1024 * 1024)} MiB; last gen0 budget {info.GenerationInfo[0].SizeAfterBytes / 1024} KiB after"));
    }

    private static async Task WaitForSignalAsync()
    {
        var stopped = new TaskCompletionSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stopped.TrySetResult();
        });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            stopped.TrySetResult();
        });
        await stopped.Task;
    }
}

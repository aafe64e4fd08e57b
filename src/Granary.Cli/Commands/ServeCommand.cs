using System.CommandLine;
using Granary.Server;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary serve [--host 127.0.0.1] [--port 6566] [--grpc-port 6567] [--log-format text|json] [--with-streams [--stream-views v ...]] [--with-monitoring]</c>:
/// runs the feature server (Feast's HTTP API, gRPC, metrics, and with <c>--with-streams</c> the stream consumers) over
/// the repository until Ctrl+C, then finishes the requests and batches in flight and exits.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var host = new Option<string>("--host") { Description = "The address to listen on (0.0.0.0 for every interface).", DefaultValueFactory = _ => "127.0.0.1", HelpName = "ADDRESS" };
        var port = new Option<int>("--port") { Description = "The HTTP port of the JSON API (Feast's default).", DefaultValueFactory = _ => GranaryServerOptions.DefaultPort, HelpName = "PORT" };
        var grpcPort = new Option<int>("--grpc-port") { Description = "The gRPC port (HTTP/2 cleartext); -1 to serve no gRPC.", DefaultValueFactory = _ => GranaryServerOptions.DefaultGrpcPort, HelpName = "PORT" };
        var refresh = new Option<int>("--registry-refresh-seconds") { Description = "How often to check the registry for applies made elsewhere.", DefaultValueFactory = _ => 5, HelpName = "SECONDS" };
        var maxBody = new Option<long>("--max-body-bytes") { Description = "The largest request body accepted; larger ones get 413.", DefaultValueFactory = _ => 4 * 1024 * 1024, HelpName = "BYTES" };
        var logFormat = new Option<string>("--log-format")
        {
            Description = "The log on stdout: text for people, or json, one object per line with the event's named values, for log collectors.",
            DefaultValueFactory = _ => "text",
            HelpName = "FORMAT",
        };
        logFormat.AcceptOnlyFromAmong("text", "json");
        var withStreams = new Option<bool>("--with-streams") { Description = "Also run the consumers of the redis_stream and nats sources (as 'granary stream run' does), stopped with the server." };
        var withMonitoring = new Option<bool>("--with-monitoring") { Description = "Also run the repository's alerts every monitoring.schedule (as 'granary monitor run' does), stopped with the server." };
        var streamViews = new Option<string[]>("--stream-views")
        {
            Description = "With --with-streams, the stream views whose sources to consume (all when not given). Space- or comma-separated.",
            HelpName = "VIEW",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("serve", "Run the feature server: Feast's HTTP API, gRPC, /health and Prometheus /metrics.") { host, port, grpcPort, refresh, maxBody, logFormat, withStreams, streamViews, withMonitoring };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            // Before the first apply there is nothing to serve; checking first also keeps the online store's file uncreated.
            await (await context.OpenAppliedStoreAsync(cancellationToken, writeWarnings: false)).DisposeAsync();
            var options = new GranaryServerOptions
            {
                RepositoryPath = Path.GetFullPath(context.RepositoryPath),
                Environment = context.EnvironmentName,
                Host = parseResult.GetValue(host)!,
                Port = parseResult.GetValue(port),
                GrpcPort = parseResult.GetValue(grpcPort) is var g && g >= 0 ? g : null,
                RegistryRefreshInterval = TimeSpan.FromSeconds(Math.Max(0, parseResult.GetValue(refresh))),
                MaxRequestBodySize = parseResult.GetValue(maxBody),
                WithStreams = parseResult.GetValue(withStreams),
                WithMonitoring = parseResult.GetValue(withMonitoring),
                StreamViews = [.. (parseResult.GetValue(streamViews) ?? []).SelectMany(v => TimeArguments.SplitList(v))],
            };
            // A JSON log is stdout's only content, so that every line parses; its event 1001 carries the addresses.
            var json = parseResult.GetValue(logFormat) == "json";
            var banner = json ? TextWriter.Null : context.Output;
            await using var server = new GranaryServer(options, json ? JsonLog : TextLog, context.TimeProvider);
            try
            {
                await server.StartAsync(cancellationToken);
            }
            catch (IOException e) when (e.InnerException is AddressInUseException)
            {
                // Kestrel names the address it failed to bind ("http://127.0.0.1:6567: address already in use").
                var grpcFailed = options.GrpcPort is { } failed && failed != options.Port && e.Message.Contains($":{failed}:", StringComparison.Ordinal);
                var (port, flag) = grpcFailed ? (options.GrpcPort!.Value, "--grpc-port") : (options.Port, "--port");
                context.Error.WriteLine($"error: port {port} on {options.Host} is already in use (another 'granary serve'?). Stop what listens there, or choose another port with {flag}.");
                return CommandRunner.Failed;
            }

            banner.WriteLine($"Serving {options.RepositoryPath}");
            banner.WriteLine($"  HTTP  {server.HttpUrl}   (POST /get-online-features, /push, ...; GET /health, /metrics, /openapi/v1.json)");
            if (server.GrpcUrl is { } grpc)
            {
                banner.WriteLine($"  gRPC  {grpc}");
            }

            if (options.WithStreams)
            {
                banner.WriteLine("  Streams  consuming the stream sources (lag at /metrics: granary_stream_consumer_lag)");
            }

            banner.WriteLine("Press Ctrl+C to stop.");
            try
            {
                await server.WaitForShutdownAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: fall through to a graceful stop.
            }

            await server.StopAsync(CancellationToken.None);
            if (server.StreamsFailure is { } failure)
            {
                context.Error.WriteLine($"error: the stream consumers stopped the server: {failure.Message}");
                return CommandRunner.Failed;
            }

            banner.WriteLine("Stopped.");
            return 0;
        });
        return command;
    }

    // The host logs a failed start (a port in use) with its stack trace before StartAsync throws it; the command says
    // what happened in one line instead, so that category is off.
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    private static void TextLog(ILoggingBuilder logging) => logging.AddFilter(HostCategory, LogLevel.None);

    // One JSON object per line: timestamp (UTC, ISO-8601), level, category, event id, message and the event's named
    // values under "State", which log collectors index without parsing the message.
    private static void JsonLog(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddFilter(HostCategory, LogLevel.None);
        logging.AddJsonConsole(json =>
        {
            json.UseUtcTimestamp = true;
            json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
    }
}

using System.CommandLine;
using Granary.Server;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary serve [--host 127.0.0.1] [--port 6566] [--grpc-port 6567]</c>: runs the feature server (Feast's HTTP
/// API, gRPC, metrics) over the repository until Ctrl+C, then finishes the requests in flight and exits.
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
        var command = new Command("serve", "Run the feature server: Feast's HTTP API, gRPC, /health and Prometheus /metrics.") { host, port, grpcPort, refresh, maxBody };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            var options = new GranaryServerOptions
            {
                RepositoryPath = Path.GetFullPath(context.RepositoryPath),
                Host = parseResult.GetValue(host)!,
                Port = parseResult.GetValue(port),
                GrpcPort = parseResult.GetValue(grpcPort) is var g && g >= 0 ? g : null,
                RegistryRefreshInterval = TimeSpan.FromSeconds(Math.Max(0, parseResult.GetValue(refresh))),
                MaxRequestBodySize = parseResult.GetValue(maxBody),
            };
            await using var server = new GranaryServer(options);
            await server.StartAsync(cancellationToken);
            context.Output.WriteLine($"Serving {options.RepositoryPath}");
            context.Output.WriteLine($"  HTTP  {server.HttpUrl}   (POST /get-online-features, /push, ...; GET /health, /metrics, /openapi/v1.json)");
            if (server.GrpcUrl is { } grpc)
            {
                context.Output.WriteLine($"  gRPC  {grpc}");
            }

            context.Output.WriteLine("Press Ctrl+C to stop.");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: fall through to a graceful stop.
            }

            await server.StopAsync(CancellationToken.None);
            context.Output.WriteLine("Stopped.");
            return 0;
        });
        return command;
    }
}

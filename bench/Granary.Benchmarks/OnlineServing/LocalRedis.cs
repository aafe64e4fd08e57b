using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Granary.Benchmarks.OnlineServing;

/// <summary>
/// A <c>redis-server</c> of the benchmark's own on a free local port, without persistence (<c>--save ''
/// --appendonly no</c>), stopped (<c>SHUTDOWN NOSAVE</c>, then killed if need be) when disposed. Also runs
/// <c>redis-cli</c> and <c>redis-benchmark</c> against it, the references measured in the same run.
/// </summary>
public sealed class LocalRedis : IDisposable
{
    private readonly Process _server;

    private LocalRedis(Process server, int port)
    {
        _server = server;
        Port = port;
    }

    public int Port { get; }

    public string Connection => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    public static LocalRedis Start()
    {
        var port = FreePort();
        var info = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var server = Process.Start(info) ?? throw new InvalidOperationException("Could not start redis-server.");
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var redis = new LocalRedis(server, port);
        var deadline = Stopwatch.StartNew();
        while (redis.Cli("PING").Trim() != "PONG")
        {
            if (server.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(20))
            {
                redis.Dispose();
                throw new InvalidOperationException($"redis-server did not answer on port {port}.");
            }

            Thread.Sleep(50);
        }

        return redis;
    }

    /// <summary>The version line of the server, for the record.</summary>
    public string Version() => Run("redis-server", ["--version"]).Trim();

    /// <summary>Runs one <c>redis-cli</c> command against this server; returns its output.</summary>
    public string Cli(params string[] command) =>
        Run("redis-cli", ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), .. command]);

    /// <summary>Runs <c>redis-benchmark</c> against this server with <paramref name="arguments"/>; returns its output.</summary>
    public string Benchmark(params string[] arguments) =>
        Run("redis-benchmark", ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), .. arguments]);

    /// <summary>Bytes the server holds (<c>used_memory</c>).</summary>
    public long UsedMemory()
    {
        foreach (var line in Cli("INFO", "memory").Split('\n'))
        {
            if (line.StartsWith("used_memory:", StringComparison.Ordinal))
            {
                return long.Parse(line["used_memory:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    public void Dispose()
    {
        try
        {
            if (!_server.HasExited)
            {
                Cli("SHUTDOWN", "NOSAVE");
                if (!_server.WaitForExit(10_000))
                {
                    _server.Kill();
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _server.Dispose();
    }

    private static string Run(string file, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output + stderr.Result;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

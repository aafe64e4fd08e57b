using System.Diagnostics;
using System.Globalization;
using System.Net.Http;

namespace Granary.Tests.Infrastructure;

/// <summary>
/// A throwaway <c>nats-server</c> with JetStream for the tests: the machine's binary (Debian's <c>nats-server</c>
/// package, in /usr/sbin) on a free loopback port, its store in a temp folder that is removed at the end. Shared by
/// the <see cref="NatsCollection"/>; tests isolate their data by naming streams of their own. <see cref="NatsCluster"/>
/// builds its nodes from this class.
/// </summary>
/// <remarks>
/// If the server cannot be started, initialization throws with the server's log: the tests fail rather than skip.
/// Readiness is the monitoring endpoint's <c>/healthz</c>, which answers 200 only once JetStream is up.
/// </remarks>
public sealed class NatsServer : IAsyncLifetime
{
    private const int StartAttempts = 5;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly NatsClusterNode? _clusterNode;
    private string? _folder;
    private Process? _process;

    public NatsServer()
    {
    }

    internal NatsServer(NatsClusterNode clusterNode)
    {
        _clusterNode = clusterNode;
    }

    /// <summary>The loopback port clients connect to.</summary>
    public int Port { get; private set; }

    /// <summary>The HTTP monitoring port (<c>/healthz</c>, <c>/jsz</c>).</summary>
    public int MonitorPort { get; private set; }

    /// <summary>The client URL, <c>nats://127.0.0.1:port</c>.</summary>
    public string Url => $"nats://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The server's name (unique in a cluster).</summary>
    public string Name => _clusterNode?.Name ?? "granary-test";

    /// <summary>Whether the server process is running (false after <see cref="Kill"/>).</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>A JSON document from the monitoring endpoint, such as <c>jsz</c>.</summary>
    public Task<string> MonitorAsync(string path) => Http.GetStringAsync(new Uri($"http://127.0.0.1:{MonitorPort.ToString(CultureInfo.InvariantCulture)}/{path}"));

    public async Task InitializeAsync()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"granary-nats-{Guid.NewGuid():N}"[..25]);
        Directory.CreateDirectory(_folder);
        var failures = new List<string>();
        for (var attempt = 1; attempt <= StartAttempts; attempt++)
        {
            // A cluster node's ports are fixed by its cluster, which retries as a whole; a lone server picks new ones.
            Port = _clusterNode?.Port ?? LoopbackPorts.Free();
            MonitorPort = _clusterNode?.MonitorPort ?? LoopbackPorts.Free();
            var log = Path.Combine(_folder, $"nats-{attempt}.log");
            var failure = await TryStartAsync(log);
            if (failure is null)
            {
                return;
            }

            failures.Add($"Attempt {attempt} on port {Port}: {failure}");
            if (_clusterNode is not null || !failure.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                break;
            }
        }

        await DisposeAsync();
        throw new InvalidOperationException(
            $"Could not start nats-server for the tests. Install the 'nats-server' package (test.sh does).\n{string.Join("\n", failures)}");
    }

    /// <summary>Kills the server at once (SIGKILL), as a crash would: no goodbye to its cluster or its clients.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            Kill();
            _process.Dispose();
            _process = null;
        }

        if (_folder is not null && Directory.Exists(_folder))
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder must not turn a passing run into a failing one.
            }
        }

        await Task.CompletedTask;
    }

    private async Task<string?> TryStartAsync(string log)
    {
        List<string> arguments =
        [
            "--addr", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--http_port", MonitorPort.ToString(CultureInfo.InvariantCulture),
            "--jetstream", "--store_dir", Path.Combine(_folder!, "store"), "--server_name", Name, "--log", log,
        ];
        if (_clusterNode is { } node)
        {
            arguments.AddRange(["--cluster_name", node.ClusterName, "--cluster", node.RouteUrl, "--routes", string.Join(",", node.Routes)]);
        }

        if (ExternalProcess.StartServer(Program(), arguments, out var failure) is not { } process)
        {
            return failure;
        }

        _process = process;

        // A cluster node is healthy only once its cluster has a JetStream meta leader: the cluster waits for that.
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            if (_clusterNode is not null ? await AnswersAsync("varz") : await AnswersAsync("healthz"))
            {
                return null;
            }

            await Task.Delay(50);
        }

        Kill();
        _process = null;
        var serverLog = File.Exists(log) ? await File.ReadAllTextAsync(log) : "(no server log)";
        var exited = process.HasExited ? $"exited with {process.ExitCode}" : $"was not healthy within {StartTimeout.TotalSeconds}s";
        process.Dispose();
        return $"nats-server {exited}. Server log:\n{serverLog}";
    }

    private async Task<bool> AnswersAsync(string path)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{MonitorPort.ToString(CultureInfo.InvariantCulture)}/{path}"));
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    // Debian installs the server in /usr/sbin, which is not on every user's PATH.
    private static string Program() => File.Exists("/usr/sbin/nats-server") ? "/usr/sbin/nats-server" : "nats-server";
}

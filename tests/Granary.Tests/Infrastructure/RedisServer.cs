using System.Diagnostics;
using System.Globalization;

namespace Granary.Tests.Infrastructure;

/// <summary>
/// A throwaway <c>redis-server</c> for the tests: the machine's binary on a free loopback port, no persistence, a temp
/// folder that is removed at the end. Shared by the <see cref="RedisCollection"/>; tests isolate their data by taking
/// a project of their own from <see cref="NewProject"/>. <see cref="RedisCluster"/> builds its nodes from this class.
/// </summary>
/// <remarks>
/// If the server cannot be started, initialization throws with the server's log: the tests fail rather than skip,
/// because a suite that silently skips its Redis tests proves nothing about Redis.
/// </remarks>
public sealed class RedisServer : IAsyncLifetime
{
    private const int StartAttempts = 5;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    private static int _projects;

    private readonly bool _clusterNode;
    private readonly string? _password;
    private string? _folder;
    private Process? _process;

    public RedisServer()
        : this(clusterNode: false)
    {
    }

    internal RedisServer(bool clusterNode, string? password = null)
    {
        _clusterNode = clusterNode;
        _password = password;
    }

    /// <summary>The password the server requires (<c>requirepass</c>); null for none.</summary>
    public string? Password => _password;

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>The server's address, <c>127.0.0.1:port</c>.</summary>
    public string Endpoint => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A StackExchange.Redis connection string for this server, with its password when it has one.</summary>
    public string ConnectionString => _password is null ? Endpoint : $"{Endpoint},password={_password}";

    /// <summary>A project name no other test uses, so each test sees only its own keys.</summary>
    public static string NewProject() => $"t{Interlocked.Increment(ref _projects)}-{Guid.NewGuid():N}"[..20];

    /// <summary>Runs <c>redis-cli</c> against this server and returns its output; throws with the output when it fails.</summary>
    public async Task<string> CliAsync(params string[] arguments)
    {
        var output = await ExternalProcess.RunCheckedAsync("redis-cli", [.. CliConnection(), .. arguments], CommandTimeout);

        // RunCheckedAsync starts its output with the command line; callers want only what redis-cli printed.
        return output[(output.IndexOf('\n', StringComparison.Ordinal) + 1)..];
    }

    public async Task InitializeAsync()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"granary-redis-{Guid.NewGuid():N}"[..26]);
        Directory.CreateDirectory(_folder);
        var failures = new List<string>();
        for (var attempt = 1; attempt <= StartAttempts; attempt++)
        {
            // The ports were free a moment ago; if another process binds one first, the start fails and we try others.
            Port = LoopbackPorts.Free();
            var log = Path.Combine(_folder, $"redis-{attempt}.log");
            var failure = await TryStartAsync(log);
            if (failure is null)
            {
                return;
            }

            failures.Add($"Attempt {attempt} on port {Port}: {failure}");
            if (!failure.Contains("already in use", StringComparison.OrdinalIgnoreCase))
            {
                break;
            }
        }

        await DisposeAsync();
        throw new InvalidOperationException(
            $"Could not start redis-server for the tests. Install the 'redis-server' package (test.sh does).\n{string.Join("\n", failures)}");
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await StopAsync(_process);
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
    }

    private async Task<string?> TryStartAsync(string log)
    {
        List<string> arguments =
        [
            "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", _folder!, "--logfile", log, "--daemonize", "no",
        ];
        if (_password is not null)
        {
            arguments.AddRange(["--requirepass", _password]);
        }

        if (_clusterNode)
        {
            // The bus port defaults to port + 10000, which can fall outside the port range or be taken: pick it too.
            arguments.AddRange(["--cluster-enabled", "yes", "--cluster-config-file", Path.Combine(_folder!, "nodes.conf"), "--cluster-port", LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture)]);
        }

        if (ExternalProcess.StartServer("redis-server", arguments, out var failure) is not { } process)
        {
            return failure;
        }

        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            var (exitCode, output) = await ExternalProcess.RunAsync("redis-cli", [.. CliConnection(), "ping"], CommandTimeout);
            if (exitCode == 0 && output.Contains("PONG", StringComparison.Ordinal))
            {
                _process = process;
                return null;
            }

            await Task.Delay(50);
        }

        await StopAsync(process);
        var serverLog = File.Exists(log) ? await File.ReadAllTextAsync(log) : "(no server log)";
        var exited = process.HasExited ? $"exited with {process.ExitCode}" : $"did not answer PING within {StartTimeout.TotalSeconds}s";
        process.Dispose();
        return $"redis-server {exited}. Server log:\n{serverLog}";
    }

    /// <summary>redis-cli's arguments to reach this server, signed in when it has a password.</summary>
    private List<string> CliConnection()
    {
        List<string> arguments = ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture)];
        if (_password is not null)
        {
            arguments.AddRange(["-a", _password, "--no-auth-warning"]);
        }

        return arguments;
    }

    private async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            // Nothing is worth saving, so no dump on the way out; kill only if the polite shutdown does not finish.
            await ExternalProcess.RunAsync("redis-cli", [.. CliConnection(), "shutdown", "nosave"], CommandTimeout);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }
}

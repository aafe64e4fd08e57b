using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Granary.Benchmarks.Postgres;

/// <summary>
/// A PostgreSQL cluster of the benchmark's own: the machine's server binaries (newest under
/// <c>/usr/lib/postgresql</c>, or <c>GRANARY_BENCH_PG_BIN</c>), a fresh data folder, a free loopback port, the server's
/// default settings except durability (<c>fsync=off</c>: the data is thrown away). Stopped and removed when disposed.
/// </summary>
public sealed class LocalPostgres : IDisposable
{
    private const string User = "postgres";

    private readonly string _binaries;
    private readonly string _root;
    private readonly string? _runAs;

    private LocalPostgres(string binaries, string root, string? runAs, int port)
    {
        _binaries = binaries;
        _root = root;
        _runAs = runAs;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string database) => string.Create(
        CultureInfo.InvariantCulture,
        $"Host=127.0.0.1;Port={Port};Username={User};Database={database};Command Timeout=600");

    private string DataFolder => Path.Combine(_root, "data");

    public static LocalPostgres Start()
    {
        var binaries = Environment.GetEnvironmentVariable("GRANARY_BENCH_PG_BIN") ?? FindBinaries();

        // PostgreSQL refuses to run as root, so under root the cluster belongs to the postgres user.
        var runAs = Environment.UserName == "root" ? User : null;
        var root = Path.Combine("/tmp", $"granary-bench-pg-{Guid.NewGuid():N}"[..28]);
        Directory.CreateDirectory(root);
        if (runAs is not null)
        {
            Run("chown", [$"{runAs}:", root], null);
        }

        var port = FreePort();
        var server = new LocalPostgres(binaries, root, runAs, port);
        try
        {
            Run(Path.Combine(binaries, "initdb"), ["-D", server.DataFolder, "-A", "trust", "-U", User, "-E", "UTF8", "--no-locale", "--no-sync"], runAs);
            var options = $"-p {port.ToString(CultureInfo.InvariantCulture)} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off";
            Run(Path.Combine(binaries, "pg_ctl"), ["-D", server.DataFolder, "-l", Path.Combine(root, "postgres.log"), "-o", options, "-w", "-t", "60", "start"], runAs);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>The server's version line, for the record.</summary>
    public string Version() => Run(Path.Combine(_binaries, "postgres"), ["--version"], null).Trim();

    public void Dispose()
    {
        try
        {
            if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
            {
                Run(Path.Combine(_binaries, "pg_ctl"), ["-D", DataFolder, "-m", "immediate", "-w", "stop"], _runAs);
            }
        }
        finally
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static string FindBinaries()
    {
        const string Installed = "/usr/lib/postgresql";
        return (Directory.Exists(Installed) ? Directory.GetDirectories(Installed) : [])
            .Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
            .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
            .Select(d => Path.Combine(d, "bin"))
            .FirstOrDefault()
            ?? throw new InvalidOperationException($"No PostgreSQL server binaries under {Installed}/*/bin; install 'postgresql' or set GRANARY_BENCH_PG_BIN.");
    }

    private static string Run(string program, IEnumerable<string> arguments, string? runAs)
    {
        var info = new ProcessStartInfo(runAs is null ? program : "runuser")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (runAs is not null)
        {
            foreach (var a in new[] { "-u", runAs, "--", program })
            {
                info.ArgumentList.Add(a);
            }
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"{program} exited with {process.ExitCode}:\n{output}{stderr.Result}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

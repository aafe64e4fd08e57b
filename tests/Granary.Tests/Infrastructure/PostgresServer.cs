using System.Globalization;
using Npgsql;

namespace Granary.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL server for the tests: the machine's own binaries, a fresh cluster in a temp folder, a free
/// loopback port, and everything removed again at the end. Shared by the <see cref="PostgresCollection"/>; each test
/// takes a database of its own from <see cref="CreateDatabaseAsync"/> so tests never see each other's data.
/// </summary>
/// <remarks>
/// If the server cannot be started, initialization throws with the captured output: the tests in the collection
/// fail rather than skip, because a suite that silently skips its PostgreSQL tests proves nothing about PostgreSQL.
/// </remarks>
public sealed class PostgresServer : IAsyncLifetime
{
    /// <summary>The superuser the cluster is created with (trust authentication, no password).</summary>
    public const string User = "postgres";

    private const int StartAttempts = 5;
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    private string? _binaries;
    private string? _root;
    private string? _runAs;
    private int _databases;

    /// <summary>The loopback address the server listens on.</summary>
    public string Host { get; } = "127.0.0.1";

    /// <summary>The port the server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>A connection string to the <c>postgres</c> maintenance database.</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    private string DataFolder => Path.Combine(_root!, "data");

    /// <summary>A connection string to <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Username = User,
        Database = database,
        Timeout = 15,
    }.ToString();

    /// <summary>Creates an empty database for one test and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"granary_test_{Interlocked.Increment(ref _databases)}";
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async Task InitializeAsync()
    {
        _binaries = FindBinaries();

        // PostgreSQL refuses to run as root, so under root the cluster belongs to the postgres user.
        _runAs = ExternalProcess.IsRoot ? User : null;
        _root = Path.Combine(_runAs is null ? Path.GetTempPath() : "/tmp", $"granary-pg-{Guid.NewGuid():N}"[..23]);
        Directory.CreateDirectory(_root);
        try
        {
            if (_runAs is not null)
            {
                await ExternalProcess.RunCheckedAsync("chown", [$"{_runAs}:", _root], CommandTimeout);
            }

            await ExternalProcess.RunCheckedAsync(
                Path.Combine(_binaries, "initdb"),
                ["-D", DataFolder, "-A", "trust", "-U", User, "-E", "UTF8", "--no-locale", "--no-sync"],
                CommandTimeout,
                _runAs);
            await StartAsync();
        }
        catch (Exception e)
        {
            Cleanup();
            throw new InvalidOperationException($"Could not start PostgreSQL for the tests (binaries: {_binaries}).\n{e.Message}", e);
        }
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_root is not null && _binaries is not null)
        {
            // Immediate: the data is thrown away, so there is nothing to flush.
            await ExternalProcess.RunAsync(Path.Combine(_binaries, "pg_ctl"), ["-D", DataFolder, "-m", "immediate", "-w", "stop"], CommandTimeout, _runAs);
        }

        Cleanup();
    }

    private async Task StartAsync()
    {
        var log = Path.Combine(_root!, "postgres.log");
        var failures = new List<string>();
        for (var attempt = 1; attempt <= StartAttempts; attempt++)
        {
            // The port was free a moment ago; if another process binds it first, the start fails and we try another.
            Port = LoopbackPorts.Free();
            var options = string.Join(
                ' ',
                $"-p {Port.ToString(CultureInfo.InvariantCulture)} -k {_root}",
                // The whole suite shares this server and runs its classes in parallel, each with its own pools.
                "-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200");
            var (exitCode, output) = await ExternalProcess.RunAsync(
                Path.Combine(_binaries!, "pg_ctl"),
                ["-D", DataFolder, "-l", log, "-o", options, "-w", "-t", "60", "start"],
                CommandTimeout,
                _runAs);
            if (exitCode == 0)
            {
                return;
            }

            var serverLog = File.Exists(log) ? await File.ReadAllTextAsync(log) : "(no server log)";
            failures.Add($"Attempt {attempt} on port {Port}, exit code {exitCode}:\n{output}\nServer log:\n{serverLog}");
            if (!serverLog.Contains("could not bind", StringComparison.OrdinalIgnoreCase) &&
                !serverLog.Contains("already in use", StringComparison.OrdinalIgnoreCase))
            {
                break;
            }

            File.Delete(log);
        }

        throw new InvalidOperationException(string.Join("\n", failures));
    }

    private static string FindBinaries()
    {
        var configured = Environment.GetEnvironmentVariable("GRANARY_TEST_PG_BIN");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        const string Installed = "/usr/lib/postgresql";
        var best = Directory.Exists(Installed)
            ? Directory.GetDirectories(Installed)
                .Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
                .Select(d => (Folder: d, Version: ParseVersion(Path.GetFileName(d))))
                .OrderByDescending(d => d.Version)
                .Select(d => Path.Combine(d.Folder, "bin"))
                .FirstOrDefault()
            : null;
        return best ?? throw new InvalidOperationException(
            $"PostgreSQL server binaries were not found under {Installed}/*/bin. Install the 'postgresql' package (test.sh does) or set GRANARY_TEST_PG_BIN to the folder holding initdb and pg_ctl.");
    }

    private static Version ParseVersion(string name) =>
        Version.TryParse(name.Contains('.', StringComparison.Ordinal) ? name : name + ".0", out var version) ? version : new Version(0, 0);

    private void Cleanup()
    {
        if (_root is null || !Directory.Exists(_root))
        {
            return;
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not turn a passing run into a failing one.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

using System.Diagnostics;

namespace Granary.Tests.Streaming.Hosting;

/// <summary>
/// <c>granary stream run</c> as a real child process (the built <c>Granary.Cli.dll</c> beside the tests), for the
/// tests that kill it with SIGKILL: what dies is the command a user runs, with its own connections and store handles.
/// </summary>
internal sealed class StreamRunProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;
    private readonly Task<string> _stdout;

    private StreamRunProcess(Process process)
    {
        _process = process;
        _stderr = process.StandardError.ReadToEndAsync();
        _stdout = process.StandardOutput.ReadToEndAsync();
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts consuming the repository at <paramref name="root"/> as Redis consumer <c>worker-1</c>, in batches of 20, with a 2 s redelivery wait.</summary>
    public static StreamRunProcess Start(string root)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "Granary.Cli.dll"), "stream", "run", "--repo", root, "--consumer-name", "worker-1", "--batch-size", "20", "--redeliver-seconds", "2"])
        {
            start.ArgumentList.Add(argument);
        }

        return new StreamRunProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet."));
    }

    /// <summary>SIGKILL: no shutdown code runs, the batch in hand is cut wherever it is.</summary>
    public async Task KillAsync()
    {
        Assert.False(_process.HasExited, $"granary stream run exited on its own with {(_process.HasExited ? _process.ExitCode : 0)}: {(_process.HasExited ? await _stderr : "")}");
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as a service manager stops the command; returns its exit code and everything it wrote to stdout.</summary>
    public async Task<(int Exit, string Output)> TerminateAsync()
    {
        Assert.False(_process.HasExited, $"granary stream run exited on its own: {(_process.HasExited ? await _stderr : "")}");
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return (_process.ExitCode, await _stdout);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}

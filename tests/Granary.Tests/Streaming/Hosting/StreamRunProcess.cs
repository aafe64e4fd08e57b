using System.Diagnostics;
using System.Text;

namespace Granary.Tests.Streaming.Hosting;

/// <summary>
/// A stream host in a real child process, for the tests that kill it with SIGKILL or stop it with SIGTERM: either
/// <c>granary stream run</c> itself (the built <c>Granary.Cli.dll</c> beside the tests) or
/// <c>Granary.Tests.ConsumerProcess host</c>, the host's batch handler held after a batch is applied. Either way what
/// dies is a process with its own connections and store handles.
/// </summary>
internal sealed class StreamRunProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Task<string> _stderr;

    private StreamRunProcess(ProcessStartInfo start)
    {
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                // The end of the stream, not a line.
                return;
            }

            lock (_output)
            {
                _output.Append(line.Data).Append('\n');
            }
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _stderr = _process.StandardError.ReadToEndAsync();
    }

    /// <summary>Everything the process wrote to stdout so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary><c>granary stream run</c> on the repository at <paramref name="root"/> as Redis consumer <c>worker-1</c>, in batches of 20, with a 2 s redelivery wait.</summary>
    public static StreamRunProcess StartCli(string root) =>
        new(Start("Granary.Cli.dll", "stream", "run", "--repo", root, "--consumer-name", "worker-1", "--batch-size", "20", "--redeliver-seconds", "2"));

    /// <summary>The host's handler under the same settings, holding for ever once <paramref name="hold"/> events are handled (it then prints <c>#holding</c>).</summary>
    public static StreamRunProcess StartHolding(string root, int hold) =>
        new(Start("Granary.Tests.ConsumerProcess.dll", "host", root, hold.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>SIGKILL: no shutdown code runs, the batch in hand is cut wherever it is.</summary>
    public async Task KillAsync()
    {
        await AssertRunningAsync();
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as a service manager stops the command; returns its exit code and everything it wrote to stdout.</summary>
    public async Task<(int Exit, string Output)> TerminateAsync()
    {
        await AssertRunningAsync();
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return (_process.ExitCode, Output);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private async Task AssertRunningAsync() =>
        Assert.False(_process.HasExited, $"the stream host process exited on its own with {(_process.HasExited ? _process.ExitCode : 0)}: {(_process.HasExited ? await _stderr : "")}");

    private static ProcessStartInfo Start(string assembly, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assembly));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}

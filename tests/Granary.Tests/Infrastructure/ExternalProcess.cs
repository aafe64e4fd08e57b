using System.Diagnostics;
using System.Text;

namespace Granary.Tests.Infrastructure;

/// <summary>
/// Runs the external programs test servers are made of (initdb, pg_ctl, redis-server, ...), capturing their output so
/// a harness that fails to start a server can fail the tests with the reason instead of a bare exit code.
/// </summary>
internal static class ExternalProcess
{
    /// <summary>True when the tests run as root, where servers that refuse root must run as another user.</summary>
    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>
    /// Starts a long-running server that writes to its own log file, or returns null with <paramref name="failure"/>
    /// saying why it could not be run. Its pipes are drained only so that a chatty server never blocks on them.
    /// </summary>
    public static Process? StartServer(string program, IEnumerable<string> arguments, out string failure)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned null.");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            failure = $"{Path.GetFileName(program)} could not be run: {e.Message}";
            return null;
        }

        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        failure = "";
        return process;
    }

    /// <summary>Runs <paramref name="program"/> to completion and returns its exit code and combined output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> arguments, TimeSpan timeout, string? runAsUser = null)
    {
        var start = new ProcessStartInfo
        {
            FileName = runAsUser is null ? program : "runuser",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (runAsUser is not null)
        {
            foreach (var a in new[] { "-u", runAsUser, "--", program })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var commandLine = string.Join(' ', start.ArgumentList.Prepend(start.FileName));
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start: {commandLine}");
        process.StandardInput.Close();
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{commandLine}' did not finish within {timeout}.");
        }

        output.Append(await stdout).Append(await stderr);
        return (process.ExitCode, $"$ {commandLine}\n{output}");
    }

    /// <summary>Runs <paramref name="program"/> and throws with its output unless it exits with 0.</summary>
    public static async Task<string> RunCheckedAsync(string program, IEnumerable<string> arguments, TimeSpan timeout, string? runAsUser = null)
    {
        var (exitCode, output) = await RunAsync(program, arguments, timeout, runAsUser);
        return exitCode == 0 ? output : throw new InvalidOperationException($"Exit code {exitCode}:\n{output}");
    }
}

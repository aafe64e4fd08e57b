using Granary.Cli;
using Granary.Cli.Commands;

namespace Granary.Tests.Infrastructure;

/// <summary>Runs the granary command in-process, as a user would, capturing its exit code and output.</summary>
public static class CliRunner
{
    public static Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => RunAsync(TimeProvider.System, args);

    /// <summary>As <see cref="RunAsync(string[])"/>, on <paramref name="time"/>'s clock: for commands whose answer depends on "now" (ttl checks, <c>now</c>).</summary>
    public static async Task<(int Exit, string Out, string Err)> RunAsync(TimeProvider time, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await GranaryCli.RunAsync(args, output, error, CliTerminal.None, time);
        return (exit, output.ToString(), error.ToString());
    }
}

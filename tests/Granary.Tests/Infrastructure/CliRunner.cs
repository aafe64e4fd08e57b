using Granary.Cli;

namespace Granary.Tests.Infrastructure;

/// <summary>Runs the granary command in-process, as a user would, capturing its exit code and output.</summary>
public static class CliRunner
{
    public static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await GranaryCli.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}

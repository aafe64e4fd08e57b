using Granary.Cli.Commands;

namespace Granary.Cli;

internal static class Program
{
    public static Task<int> Main(string[] args) => GranaryCli.RunAsync(args, Console.Out, Console.Error, CliTerminal.FromConsole());
}

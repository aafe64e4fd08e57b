namespace Granary.Cli.Commands;

/// <summary>
/// Where a command that asks a question reads the answer, and whether a person is there to give it: a confirmation is
/// asked only on a terminal, never of a pipe or a script.
/// </summary>
internal sealed record CliTerminal(TextReader? Input, bool IsInteractive)
{
    /// <summary>No terminal: questions are refused, as in a script.</summary>
    public static readonly CliTerminal None = new(null, false);

    /// <summary>This process's console; interactive when stdin is not redirected.</summary>
    public static CliTerminal FromConsole() => new(Console.In, !Console.IsInputRedirected);
}

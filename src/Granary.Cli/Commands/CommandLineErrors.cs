using System.CommandLine;
using Granary.Contracts.Errors;
using Granary.Core.Errors;

namespace Granary.Cli.Commands;

/// <summary>
/// What a command line that does not parse gets: one line per mistake, a "did you mean" for a mistyped command or
/// option (<c>materialise</c> finds <c>materialize</c>), and where to find the usage; not the whole help text.
/// </summary>
internal static class CommandLineErrors
{
    public static int Write(ParseResult parseResult, TextWriter error)
    {
        var command = parseResult.CommandResult.Command;
        var path = CommandPath(parseResult.CommandResult);
        if (parseResult.UnmatchedTokens.Count > 0)
        {
            var token = parseResult.UnmatchedTokens[0];
            if (token.StartsWith('-'))
            {
                var options = new List<string>();
                foreach (var option in command.Options)
                {
                    options.Add(option.Name);
                    options.AddRange(option.Aliases);
                }

                error.WriteLine($"error: '{path}' has no option '{token}'.{Hint(token, options)}");
            }
            else if (command.Subcommands.Count > 0)
            {
                var names = new List<string>();
                foreach (var subcommand in command.Subcommands)
                {
                    names.Add(subcommand.Name);
                }

                error.WriteLine($"error: '{token}' is not a command of '{path}'.{Hint(token, names)}");
            }
            else
            {
                error.WriteLine($"error: '{path}' takes no argument '{token}'.");
            }
        }
        else
        {
            foreach (var parseError in parseResult.Errors)
            {
                error.WriteLine($"error: {parseError.Message}");
            }
        }

        error.WriteLine($"Run '{path} --help' for its usage.");
        return CommandRunner.Failed;
    }

    private static string Hint(string token, List<string> candidates) =>
        Suggestions.Closest(token.TrimStart('-'), candidates.Select(c => c.TrimStart('-'))) is { } closest
            ? $" Did you mean '{candidates.First(c => c.TrimStart('-') == closest)}'?"
            : "";

    private static string CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new List<string>();
        for (var current = result; current is not null; current = current.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(current.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}

using System.CommandLine;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary teardown [--yes]</c>: removes the project's online values and watermarks from the online store, so that
/// nothing is served until the next materialization. The registry, its history and the offline data stay. It asks
/// first on a terminal; without one (a script, a pipe) it needs <c>--yes</c>.
/// </summary>
internal static class TeardownCommand
{
    public static Command Create(CliTerminal terminal)
    {
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation (needed without a terminal)." };
        var command = new Command("teardown", "Remove the project's online values and watermarks from the online store; the registry and offline data stay.") { yes };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            await using var store = await context.OpenAppliedStoreAsync(cancellationToken);
            var what = $"every online value and watermark of project '{store.Project}' in its {store.OnlineStoreName} online store";
            if (!parseResult.GetValue(yes))
            {
                if (!terminal.IsInteractive || terminal.Input is null)
                {
                    context.Error.WriteLine($"error: teardown would remove {what}; without a terminal to confirm on, pass --yes.");
                    return CommandRunner.Failed;
                }

                context.Error.Write($"This removes {what}. Continue? [y/N] ");
                var answer = (await terminal.Input.ReadLineAsync(cancellationToken))?.Trim();
                if (!string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) && !string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
                {
                    context.Error.WriteLine("Teardown cancelled; nothing was removed.");
                    return CommandRunner.Failed;
                }
            }

            await store.TeardownOnlineAsync(cancellationToken);
            context.Output.WriteLine($"Removed {what}. Run 'granary materialize' to load it again.");
            return 0;
        });
        return command;
    }
}

using System.CommandLine;
using Granary.Contracts.Errors;
using Granary.Core.Errors;

namespace Granary.Cli.Commands;

/// <summary>
/// Runs a command's action and turns failures a user can act on into a message on stderr and a non-zero exit:
/// 1 for a Granary error (bad definitions, conflicts, unreachable stores), 2 for anything unexpected.
/// </summary>
internal static class CommandRunner
{
    public const int Failed = 1;
    public const int Crashed = 2;

    public static void SetAction(Command command, Func<ParseResult, CommandContext, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var context = new CommandContext(parseResult);
            try
            {
                return await action(parseResult, context, cancellationToken);
            }
            catch (DefinitionException e)
            {
                context.Error.WriteLine($"error: {e.Diagnostics.Count} mistake{(e.Diagnostics.Count == 1 ? "" : "s")} in the repository:");
                foreach (var diagnostic in e.Diagnostics)
                {
                    context.Error.WriteLine($"  {diagnostic} [{diagnostic.Code}]");
                }

                return Failed;
            }
            catch (GranaryException e)
            {
                context.Error.WriteLine($"error: {e.Message} [{e.Code}]");
                return Failed;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                context.Error.WriteLine("Cancelled.");
                return Failed;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                context.Error.WriteLine($"error: {e.Message}");
                return Failed;
            }
            catch (Exception e)
            {
                context.Error.WriteLine($"unexpected error: {e}");
                return Crashed;
            }
        });
}

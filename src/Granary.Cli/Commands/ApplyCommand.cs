using System.CommandLine;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

/// <summary><c>granary apply</c>: validate and apply the whole repository to the registry in one transaction.</summary>
internal static class ApplyCommand
{
    public static Command Create()
    {
        var command = new Command("apply", "Validate the repository and apply all its definitions to the registry atomically.");
        CommandRunner.SetAction(command, async (_, context, cancellationToken) =>
        {
            await using var store = context.OpenStore();
            var result = await store.ApplyAsync(cancellationToken);
            PlanPrinter.Print(result.Plan, context.Output);
            context.Output.WriteLine(result.Plan.HasChanges
                ? $"Applied to project '{store.Project}': registry version {result.Version}."
                : $"Project '{store.Project}' already up to date; recorded as registry version {result.Version}.");
            PlanPrinter.PrintRematerialization(result.Plan, context.Output, applied: true);
            PlanPrinter.PrintStreamBackfill(result.Plan, context.Output, applied: true);
            return 0;
        });
        return command;
    }
}

using System.CommandLine;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

/// <summary><c>granary plan</c>: validate the repository and show what apply would change, changing nothing.</summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var command = new Command("plan", "Validate the repository and print what 'apply' would add, change and remove. Changes nothing.");
        CommandRunner.SetAction(command, async (_, context, cancellationToken) =>
        {
            await using var store = context.OpenStore();
            var plan = await store.PlanAsync(cancellationToken);
            PlanPrinter.Print(plan, context.Output);
            PlanPrinter.PrintRematerialization(plan, context.Output, applied: false);
            PlanPrinter.PrintStreamBackfill(plan, context.Output, applied: false);
            PlanWarningPrinter.Print(plan.Warnings, context.Output);
            return 0;
        });
        return command;
    }
}

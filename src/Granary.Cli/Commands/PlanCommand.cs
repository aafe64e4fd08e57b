using System.CommandLine;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

/// <summary><c>granary plan</c>: validate the repository and show what apply would change, changing nothing.</summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var noPromote = new Option<bool>("--no-promote") { Description = "Show what 'apply --no-promote' would do: changed views' new versions staged, not served." };
        var command = new Command("plan", "Validate the repository and print what 'apply' would add, change and remove, and the catalog versions it would make. Changes nothing.") { noPromote };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            await using var store = context.OpenStore(writeWarnings: false);
            var plan = await store.PlanAsync(new ApplyOptions { Promote = !parseResult.GetValue(noPromote) }, cancellationToken);
            PlanPrinter.Print(plan, context.Output);
            PlanPrinter.PrintCatalog(plan, context.Output, applied: false);
            PlanPrinter.PrintRematerialization(plan, context.Output, applied: false);
            PlanPrinter.PrintStreamBackfill(plan, context.Output, applied: false);
            PlanWarningPrinter.Print(plan.Warnings, context.Output);
            return 0;
        });
        return command;
    }
}

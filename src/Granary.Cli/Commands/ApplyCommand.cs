using System.CommandLine;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

/// <summary><c>granary apply</c>: validate and apply the whole repository to the registry in one transaction.</summary>
internal static class ApplyCommand
{
    public static Command Create()
    {
        var noPromote = new Option<bool>("--no-promote")
        {
            Description = "Stage the new versions of changed views without serving them: the registry keeps each view's current definition, "
                + "the new one is read only by its version (view@v2:feature) until a plain 'apply' of the same definitions promotes it.",
        };
        var command = new Command("apply", "Validate the repository and apply all its definitions to the registry atomically.") { noPromote };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            await using var store = context.OpenStore();
            var result = await store.ApplyAsync(new ApplyOptions { Promote = !parseResult.GetValue(noPromote) }, cancellationToken);
            PlanPrinter.Print(result.Plan, context.Output);
            PlanPrinter.PrintCatalog(result.Plan, context.Output, applied: true);
            context.Output.WriteLine(result.Plan.HasChanges || result.Plan.HasCatalogChanges
                ? $"Applied to project '{store.Project}': registry version {result.Version}."
                : $"Project '{store.Project}' already up to date; recorded as registry version {result.Version}.");
            PlanPrinter.PrintRematerialization(result.Plan, context.Output, applied: true);
            PlanPrinter.PrintStreamBackfill(result.Plan, context.Output, applied: true);
            return 0;
        });
        return command;
    }
}

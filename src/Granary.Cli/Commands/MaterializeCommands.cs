using System.CommandLine;
using Granary.Cli.Output;

namespace Granary.Cli.Commands;

/// <summary><c>granary materialize START END [--views a,b]</c> and <c>granary materialize-incremental END [--views a,b]</c>.</summary>
internal static class MaterializeCommands
{
    public static Command Materialize()
    {
        var start = new Argument<string>("START") { Description = "Start of the interval (ISO-8601, UTC unless a zone is given), inclusive." };
        var end = new Argument<string>("END") { Description = "End of the interval, inclusive; 'now' for the current time." };
        var views = ViewsOption();
        var command = new Command("materialize", "Load the latest value per entity in [START, END] from the offline engine into the online store.") { start, end, views };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            var from = TimeArguments.Parse(parseResult.GetValue(start)!, "START", context.TimeProvider);
            var to = TimeArguments.Parse(parseResult.GetValue(end)!, "END", context.TimeProvider);
            var names = TimeArguments.SplitList(parseResult.GetValue(views));
            await using var store = await context.OpenAppliedStoreAsync(cancellationToken);
            return await MaterializationReporter.RunAsync(context.Output, context.Error, progress => store.MaterializeAsync(from, to, names, progress, cancellationToken));
        });
        return command;
    }

    public static Command MaterializeIncremental()
    {
        var end = new Argument<string>("END") { Description = "Materialize each view from its watermark up to END (ISO-8601 or 'now')." };
        var views = ViewsOption();
        var command = new Command("materialize-incremental", "Continue materialization from each view's watermark up to END.") { end, views };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            var to = TimeArguments.Parse(parseResult.GetValue(end)!, "END", context.TimeProvider);
            var names = TimeArguments.SplitList(parseResult.GetValue(views));
            await using var store = await context.OpenAppliedStoreAsync(cancellationToken);
            return await MaterializationReporter.RunAsync(context.Output, context.Error, progress => store.MaterializeIncrementalAsync(to, names, progress, cancellationToken));
        });
        return command;
    }

    private static Option<string?> ViewsOption() =>
        new("--views") { Description = "Only these feature views (comma-separated); every online view by default.", HelpName = "a,b" };
}

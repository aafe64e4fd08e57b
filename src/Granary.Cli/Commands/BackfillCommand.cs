using System.CommandLine;
using Granary.Backfill;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Granary.Cli.Commands;

/// <summary>
/// <c>granary backfill VIEW --start T --end T</c>: a stream view's online aggregate state computed from its logged
/// events (see <see cref="FeatureStore.BackfillAsync"/>). On a terminal a progress bar with events/s and the time
/// left; otherwise one summary line when it is done.
/// </summary>
internal static class BackfillCommand
{
    public const string Name = "backfill";

    public static Command Create()
    {
        var view = new Argument<string>("VIEW") { Description = "The stream feature view to backfill." };
        var start = new Option<string>("--start")
        {
            Description = "Earliest event time counted (ISO-8601, UTC unless a zone is given), inclusive; far enough back to cover the longest window.",
            Required = true,
            HelpName = "T",
        };
        var end = new Option<string>("--end")
        {
            Description = "Latest event time counted, inclusive; 'now' for the current time. Not before the newest event the source has delivered.",
            Required = true,
            HelpName = "T",
        };
        var command = new Command(Name, "Compute a stream feature view's aggregate state from its logged events and load it into the online store.") { view, start, end };
        CommandRunner.SetAction(command, async (parseResult, context, cancellationToken) =>
        {
            var name = parseResult.GetValue(view)!;
            var from = TimeArguments.Parse(parseResult.GetValue(start)!, "--start", context.TimeProvider);
            var to = TimeArguments.Parse(parseResult.GetValue(end)!, "--end", context.TimeProvider);
            await using var store = await context.OpenAppliedStoreAsync(cancellationToken);
            var result = await RunWithProgressAsync(context.Error, name, progress => store.BackfillAsync(name, from, to, progress, cancellationToken));
            context.Output.WriteLine(Summary(result));
            if (result.SourceMovedPastEnd)
            {
                context.Error.WriteLine(
                    $"warning: source events later than --end arrived while backfilling (watermark {result.SourceWatermark:u}); keys they reached first lost them. Run backfill again with --end now.");
            }

            return 0;
        });
        return command;
    }

    /// <summary>The line a finished backfill prints.</summary>
    public static string Summary(BackfillResult r)
    {
        var extra = (r.Duplicates > 0 ? $", {r.Duplicates:N0} repeated event ids counted once" : "")
            + (r.Skipped > 0 ? $", {r.Skipped:N0} events without a complete key skipped" : "");
        var from = r.ReadFrom > r.Start ? $" (read from {r.ReadFrom:u}, the furthest its windows reach)" : "";
        return $"{r.View}: {r.Events:N0} events from {r.Start:u} to {r.End:u}{from} in {r.Elapsed.TotalSeconds:0.0}s ({r.EventsPerSecond:N0} events/s), "
            + $"state of {r.Keys:N0} keys replaced{extra}; source watermark {(r.SourceWatermark is { } w ? w.ToString("u", System.Globalization.CultureInfo.InvariantCulture) : "unset")}.";
    }

    private static async Task<BackfillResult> RunWithProgressAsync(TextWriter error, string view, Func<IProgress<BackfillProgress>?, Task<BackfillResult>> run)
    {
        if (!ReferenceEquals(error, Console.Error) || Console.IsErrorRedirected)
        {
            return await run(null);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new EventsPerSecondColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(view, maxValue: 1);
                return await run(new Progress(task));
            });
    }

    /// <summary>Moves the bar; Spectre's tasks are safe to update from any thread.</summary>
    private sealed class Progress(ProgressTask task) : IProgress<BackfillProgress>
    {
        public void Report(BackfillProgress value)
        {
            task.MaxValue = Math.Max(1, value.Total);
            task.Value = value.Events;
        }
    }

    private sealed class EventsPerSecondColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text($"{task.Speed ?? 0:N0} events/s");
    }
}

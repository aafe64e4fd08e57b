using Granary.Materialization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Granary.Cli.Output;

/// <summary>
/// Shows materialization progress: on a terminal a progress bar per view with rows/s and the time left; otherwise
/// one summary line per view when it is done.
/// </summary>
internal static class MaterializationReporter
{
    public static async Task<IReadOnlyList<MaterializationResult>> RunAsync(
        TextWriter output, TextWriter error, Func<IProgress<MaterializationProgress>?, Task<IReadOnlyList<MaterializationResult>>> run)
    {
        IReadOnlyList<MaterializationResult> results;
        if (ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            results = await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RowsPerSecondColumn(), new RemainingTimeColumn())
                .StartAsync(async context => await run(new BarProgress(context)));
        }
        else
        {
            results = await run(null);
        }

        foreach (var r in results)
        {
            output.WriteLine($"{r.View}: {r.Rows:N0} entities from {r.Start:u} to {r.End:u} in {r.Elapsed.TotalSeconds:0.0}s ({r.RowsPerSecond:N0} rows/s), {r.Written:N0} online values updated{(r.Skipped > 0 ? $", {r.Skipped:N0} rows without a complete key skipped" : "")}.");
        }

        return results;
    }

    /// <summary>Updates one progress task per view; Spectre's tasks are safe to update from any thread.</summary>
    private sealed class BarProgress(ProgressContext context) : IProgress<MaterializationProgress>
    {
        private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);

        public void Report(MaterializationProgress value)
        {
            lock (_tasks)
            {
                if (!_tasks.TryGetValue(value.View, out var task))
                {
                    task = context.AddTask(value.View, maxValue: Math.Max(1, value.Total));
                    _tasks[value.View] = task;
                }

                task.MaxValue = Math.Max(1, value.Total);
                task.Value = value.Rows;
            }
        }
    }

    private sealed class RowsPerSecondColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text($"{task.Speed ?? 0:N0} rows/s");
    }
}

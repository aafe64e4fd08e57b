using Granary.Core.Model;
using Granary.Materialization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Granary.Cli.Output;

/// <summary>
/// Shows materialization progress: on a terminal a progress bar per view with rows/s and the time left; otherwise
/// one summary line per view when it is done, and under it a line per validation rule that found failing rows. When a view fails, the views written (whose watermarks moved) are still
/// listed, then each failed view with its error and the watermark it keeps, and the exit is non-zero.
/// </summary>
internal static class MaterializationReporter
{
    /// <summary>Runs <paramref name="run"/>, reports it, and returns the exit code: 0, or 1 when a view failed.</summary>
    public static async Task<int> RunAsync(
        TextWriter output, TextWriter error, Func<IProgress<MaterializationProgress>?, Task<IReadOnlyList<MaterializationResult>>> run)
    {
        try
        {
            Write(output, await RunWithProgressAsync(error, run));
            return 0;
        }
        catch (MaterializationException e)
        {
            Write(output, e.Completed);
            foreach (var failure in e.Failures)
            {
                var watermark = failure.Watermark is { } w ? $"stays at {w:u}" : "was never set";
                error.WriteLine($"error: {failure.View}: {failure.Error.Message} [{failure.Error.Code}] Its watermark {watermark}; running again is safe.");
            }

            error.WriteLine(e.Completed.Count == 0
                ? "Materialization failed: no feature view was written and no watermark moved."
                : $"Materialization failed for {e.Failures.Count} of {e.Completed.Count + e.Failures.Count} feature views; the watermarks of {string.Join(", ", e.Completed.Select(c => c.View))} moved to {e.Completed[0].End:u}.");
            return 1;
        }
    }

    private static async Task<IReadOnlyList<MaterializationResult>> RunWithProgressAsync(
        TextWriter error, Func<IProgress<MaterializationProgress>?, Task<IReadOnlyList<MaterializationResult>>> run)
    {
        if (ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            return await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RowsPerSecondColumn(), new RemainingTimeColumn())
                .StartAsync(async context => await run(new BarProgress(context)));
        }

        return await run(null);
    }

    private static void Write(TextWriter output, IReadOnlyList<MaterializationResult> results)
    {
        foreach (var r in results)
        {
            output.WriteLine($"{r.View}: {r.Rows:N0} entities from {r.Start:u} to {r.End:u} in {r.Elapsed.TotalSeconds:0.0}s ({r.RowsPerSecond:N0} rows/s), {r.Written:N0} online values updated{(r.Skipped > 0 ? $", {r.Skipped:N0} rows without a complete key skipped" : "")}{(r.Rejected > 0 ? $", {r.Rejected:N0} rows failing a validation rule not written" : "")}; watermark now {r.End:u}.");
            foreach (var v in r.Validation)
            {
                var outcome = v.IsBlocking ? "not written" : "written (warn)";
                output.WriteLine($"  {v.Severity.Key()}: {r.View}:{v.Feature} fails '{v.Rule}' in {v.Failed:N0} of {v.Total:N0} rows, {outcome}; e.g. {v.DescribeExample()}");
            }
        }
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

using System.Diagnostics;
using Granary.Contracts.Errors;
using Granary.Core.Diagnostics;
using Granary.Core.Errors;
using Granary.Offline;
using Granary.Online;
using Granary.OnlineServing;
using Granary.Diagnostics;
using Granary.Quality.Validation;

namespace Granary.Materialization;

/// <summary>
/// Loads the latest value per entity of a view from the offline engine into the online store, in batches that flow
/// through a <see cref="MaterializationPipeline"/>: one batch is read while the one before it is encoded and the one
/// before that written, so memory does not grow with the interval. The view's watermark moves to the interval's end
/// only after its last batch is durable; an interrupted run leaves the watermark where it was, and re-running is
/// harmless (writes are last-write-wins). Rows failing an <c>error</c> validation rule of the view are not written and
/// are reported in <see cref="MaterializationResult.Validation"/>; an <c>error</c> <c>max_null_fraction</c> over the
/// run's rows fails the view before its watermark moves.
/// </summary>
internal sealed class Materializer(ILatestValuesReader offline, IOnlineStore online, string repositoryRoot)
{
    public const int DefaultBatchSize = 10_000;

    public int BatchSize { get; init; } = DefaultBatchSize;

    public async Task<MaterializationResult> MaterializeAsync(
        OnlineViewPlan plan, DateTimeOffset start, DateTimeOffset end, IProgress<MaterializationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var activity = MaterializationTelemetry.Source.StartActivity("granary.materialize");
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(MaterializationTelemetry.FeatureView, plan.Name);
            activity.SetTag(MaterializationTelemetry.IntervalStart, start.UtcDateTime.ToString("O"));
            activity.SetTag(MaterializationTelemetry.IntervalEnd, end.UtcDateTime.ToString("O"));
        }

        try
        {
            var result = await MaterializeViewAsync(plan, start, end, progress, cancellationToken);
            activity?.SetTag(MaterializationTelemetry.Rows, result.Rows);
            activity?.SetTag(MaterializationTelemetry.Written, result.Written);
            return result;
        }
        catch (Exception e) when (GranaryTelemetry.Failed(activity, e))
        {
            throw;
        }
    }

    private async Task<MaterializationResult> MaterializeViewAsync(
        OnlineViewPlan plan, DateTimeOffset start, DateTimeOffset end, IProgress<MaterializationProgress>? progress, CancellationToken cancellationToken)
    {
        if (end < start)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"The interval to materialize ends ({end:u}) before it starts ({start:u}).");
        }

        var clock = Stopwatch.StartNew();
        var request = plan.LatestValues(start, end, repositoryRoot);
        var total = progress is null ? 0 : await offline.CountLatestAsync(request, cancellationToken);
        progress?.Report(new MaterializationProgress(plan.Label, 0, total));
        long rows, written, skipped;
        List<RuleViolations> violations;
        long rejected;
        await using (var source = await offline.ReadLatestAsync(request, cancellationToken))
        {
            Action<long>? reportWritten = progress is null ? null : done => progress.Report(new MaterializationProgress(plan.Label, done, total));
            var pipeline = new MaterializationPipeline(plan, online, BatchSize, reportWritten);
            (rows, written, skipped) = await pipeline.RunAsync(source.Reader, cancellationToken);
            violations = pipeline.Validation?.Violations() ?? [];
            rejected = pipeline.Validation?.RejectedRows ?? 0;
        }

        // A share of nulls is known only once every row has been read: too many fails the view before its watermark
        // moves; the rows written by then stay, and the next run, from the old watermark, writes them again.
        if (NullFractionFailure(plan, violations, written) is { } failure)
        {
            throw failure;
        }

        // Only now: every batch has been acknowledged durable.
        await online.SetWatermarkAsync(plan.Namespace, end, cancellationToken);
        progress?.Report(new MaterializationProgress(plan.Label, rows, Math.Max(total, rows)));
        return new MaterializationResult(plan.Label, start, end, rows, written, skipped, clock.Elapsed) { Validation = violations, Rejected = rejected };
    }

    private static GranaryException? NullFractionFailure(OnlineViewPlan plan, List<RuleViolations> violations, long written)
    {
        var failed = violations.FindAll(static v => v.Rule == "max_null_fraction" && v.IsBlocking);
        if (failed.Count == 0)
        {
            return null;
        }

        var rules = string.Join("; ", failed.Select(static v => $"feature '{v.Feature}' is null in {v.Failed:N0} of {v.Total:N0} rows, more than its max_null_fraction allows"));
        return new GranaryException(
            ErrorCodes.Unprocessable,
            $"Feature view '{plan.Label}' fails its validation: {rules}. Its watermark did not move; the {written:N0} online values written before the rows were all counted stay until the next run.");
    }
}

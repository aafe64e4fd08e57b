using System.Data.Common;
using Granary.Contracts.Errors;
using Granary.Core.Diagnostics;
using Granary.Core.Errors;
using Granary.Diagnostics;
using Granary.Experiments;
using Granary.Materialization;
using Granary.Offline;
using Granary.OnlineServing;
using Granary.Push;
using Granary.Resolution;
using Granary.Streaming.Ingest;

namespace Granary;

// The online side: materialization, online reads and push.
public sealed partial class FeatureStore
{
    /// <summary>
    /// Loads the latest value per entity with an event time in [<paramref name="start"/>, <paramref name="end"/>] from the
    /// offline engine into the online store, for every online view (or those named), and moves each view's watermark
    /// to <paramref name="end"/> once its values are durable.
    /// </summary>
    /// <exception cref="MaterializationException">A view failed; the views before and after it were still materialized.</exception>
    public async Task<IReadOnlyList<MaterializationResult>> MaterializeAsync(
        DateTimeOffset start, DateTimeOffset end, IReadOnlyList<string>? views = null, IProgress<MaterializationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var plans = await OnlineViewsAsync(views, cancellationToken);
        var intervals = new List<(OnlineViewPlan Plan, DateTimeOffset Start)>(plans.Count);
        foreach (var plan in plans)
        {
            intervals.Add((plan, start));
        }

        return await MaterializeAllAsync(intervals, end, progress, cancellationToken);
    }

    /// <summary>
    /// Materializes each online view (or those named) from its watermark (or, the first time, from <paramref name="end"/>
    /// minus its ttl, or the beginning for a view without ttl) to <paramref name="end"/>.
    /// </summary>
    /// <exception cref="GranaryException">
    /// <paramref name="end"/> is before a view's watermark (<see cref="ErrorCodes.InvalidArgument"/>); nothing is written.
    /// </exception>
    /// <exception cref="MaterializationException">A view failed; the views before and after it were still materialized.</exception>
    public async Task<IReadOnlyList<MaterializationResult>> MaterializeIncrementalAsync(
        DateTimeOffset end, IReadOnlyList<string>? views = null, IProgress<MaterializationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var plans = await OnlineViewsAsync(views, cancellationToken);
        await EnsureOnlineInitializedAsync(cancellationToken);
        var intervals = new List<(OnlineViewPlan Plan, DateTimeOffset Start)>(plans.Count);
        var ahead = new List<string>();
        foreach (var plan in plans)
        {
            var watermark = await Online.GetWatermarkAsync(plan.Namespace, cancellationToken);
            if (watermark > end)
            {
                ahead.Add($"'{plan.Label}' (watermark {watermark.Value.UtcDateTime:yyyy-MM-ddTHH:mm:ss.FFFFFFZ})");
            }

            intervals.Add((plan, watermark ?? (plan.View.Ttl > TimeSpan.Zero ? end - plan.View.Ttl : DateTimeOffset.UnixEpoch)));
        }

        if (ahead.Count > 0)
        {
            // Checked for every view before any is written, so a mistyped END changes nothing.
            throw new GranaryException(
                ErrorCodes.InvalidArgument,
                $"END {end.UtcDateTime:yyyy-MM-ddTHH:mm:ss.FFFFFFZ} is before the watermark of feature view{(ahead.Count == 1 ? "" : "s")} {string.Join(", ", ahead)}: "
                + "they are already materialized past it. Give a later END, or reload an earlier interval with materialize START END.");
        }

        return await MaterializeAllAsync(intervals, end, progress, cancellationToken);
    }

    /// <summary>The latest features of a few entities, with Feast's statuses; see <see cref="OnlineFeaturesRequest"/>.</summary>
    public async Task<OnlineFeaturesResponse> GetOnlineFeaturesAsync(OnlineFeaturesRequest request, CancellationToken cancellationToken = default)
    {
        await EnsureOnlineInitializedAsync(cancellationToken);
        var service = request.FeatureService;
        Exposure? exposure = null;
        if (request.Experiment is not null)
        {
            (request, exposure) = await ForExperimentAsync(request, cancellationToken);
        }

        var response = await _retriever.GetOnlineFeaturesAsync(request, cancellationToken);
        if (service is not null)
        {
            RecordServiceUsage(service, request.Model);
        }

        if (exposure is not null)
        {
            response.Experiment = new ServedExperiment(exposure.Experiment, exposure.Variant);
            if (request.FullFeatureNames)
            {
                response.Rename(ExperimentColumnNames.Unpinned(response.FeatureNames, exposure.FeatureView));
            }

            // Logged once the read has been served: a refused read exposed nobody.
            _exposures?.Offer(exposure);
        }

        return response;
    }

    /// <summary>
    /// Pushes rows to a push source: to the online store (last-write-wins, for every online view over the source), to
    /// the offline store (logged to the push source's batch source), or both. All or nothing: a row that does not fit
    /// rejects the whole push before anything is written.
    /// </summary>
    public async Task<PushResult> PushAsync(PushRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = MaterializationTelemetry.Source.StartActivity("granary.push");
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(MaterializationTelemetry.PushSource, request.PushSourceName);
            activity.SetTag(MaterializationTelemetry.PushTo, request.To.ToString());
        }

        try
        {
            await EnsureOnlineInitializedAsync(cancellationToken);
            var registry = await GetRegistryAsync(cancellationToken);
            var result = await new Pusher(Offline, Writes, Config.RepositoryRoot, _options.TimeProvider, StreamIngestMetrics.For(_options.MeterFactory)).PushAsync(request, registry, cancellationToken);
            activity?.SetTag(MaterializationTelemetry.Rows, result.Rows);
            activity?.SetTag(MaterializationTelemetry.Written, result.OnlineWritten);
            return result;
        }
        catch (Exception e) when (GranaryTelemetry.Failed(activity, e))
        {
            throw;
        }
    }

    /// <summary>Writes rows of one feature view straight into the online store (Feast's <c>write_to_online_store</c>).</summary>
    public async Task<int> WriteToOnlineStoreAsync(string featureView, IReadOnlyDictionary<string, IReadOnlyList<object?>> columns, CancellationToken cancellationToken = default)
    {
        await EnsureOnlineInitializedAsync(cancellationToken);
        var registry = await GetRegistryAsync(cancellationToken);
        return await new Pusher(Offline, Writes, Config.RepositoryRoot, _options.TimeProvider, StreamIngestMetrics.For(_options.MeterFactory)).WriteToOnlineAsync(featureView, columns, registry, cancellationToken);
    }

    /// <summary>One value by its <c>{namespace}:{feature}:{entity_key}</c> address (namespace = feature view).</summary>
    public async Task<OnlineValue> GetOnlineValueAsync(string address, CancellationToken cancellationToken = default)
    {
        await EnsureOnlineInitializedAsync(cancellationToken);
        return await _retriever.GetValueAsync(address, cancellationToken);
    }

    /// <summary>Removes the project's online values and watermarks from the online store (<c>granary teardown</c>).</summary>
    public async Task TeardownOnlineAsync(CancellationToken cancellationToken = default)
    {
        await EnsureOnlineInitializedAsync(cancellationToken);
        await Online.TeardownAsync(cancellationToken);
    }

    /// <summary>
    /// Materializes each view in turn. A view that fails keeps its watermark and does not stop the others (views are
    /// independent); the failures are thrown together at the end with what the others did.
    /// </summary>
    private async Task<IReadOnlyList<MaterializationResult>> MaterializeAllAsync(
        List<(OnlineViewPlan Plan, DateTimeOffset Start)> intervals, DateTimeOffset end, IProgress<MaterializationProgress>? progress, CancellationToken cancellationToken)
    {
        var reader = Offline.Require<ILatestValuesReader>("read the latest values of a feature view to materialize");
        await EnsureOnlineInitializedAsync(cancellationToken);
        var materializer = new Materializer(reader, Writes, Config.RepositoryRoot);
        var results = new List<MaterializationResult>(intervals.Count);
        List<MaterializationFailure>? failures = null;
        foreach (var (plan, start) in intervals)
        {
            try
            {
                var result = await materializer.MaterializeAsync(plan, start, end, progress, cancellationToken);
                FeatureStoreLog.Materialized(_logger, result.View, result.Start, result.End, result.Rows, result.Written, result.Elapsed);
                results.Add(result);
            }
            catch (Exception e) when (e is GranaryException or DbException)
            {
                var error = e as GranaryException ?? new GranaryException(ErrorCodes.SourceUnavailable, $"The offline engine failed reading feature view '{plan.Label}': {e.Message}", e);
                DateTimeOffset? watermark = null;
                try
                {
                    watermark = await Online.GetWatermarkAsync(plan.Namespace, cancellationToken);
                }
                catch (GranaryException)
                {
                    // The store itself failed; the failure already says so, and the watermark cannot be read.
                }

                FeatureStoreLog.MaterializationFailed(_logger, plan.Label, error.Code, error.Message, error);
                (failures ??= []).Add(new MaterializationFailure(plan.Label, error, watermark));
            }
        }

        // Whatever failed, the rows that were written count for freshness, and a status read next sees them.
        await NewestEvents.FlushAsync(cancellationToken);
        return failures is null ? results : throw new MaterializationException(results, failures);
    }

    private async Task<List<OnlineViewPlan>> OnlineViewsAsync(IReadOnlyList<string>? names, CancellationToken cancellationToken)
    {
        var registry = await GetRegistryAsync(cancellationToken);
        var resolution = RegistryResolution.Of(registry);
        var plans = new List<OnlineViewPlan>();
        if (names is null || names.Count == 0)
        {
            // A stream view's online values are aggregates of its events, not rows to copy: it is not materialized.
            // Derived views come after the views they read, so a run that stops part-way never has one ahead of its inputs.
            foreach (var view in Core.Sources.DerivedSources.InDependencyOrder(registry.Definitions.FeatureViews))
            {
                if (view.Online && view.Stream is null)
                {
                    plans.Add(resolution.View(view.Name));
                }
            }

            if (plans.Count == 0)
            {
                throw new GranaryException(ErrorCodes.NotFound, registry.Version == 0
                    ? $"The registry of project '{Project}' is empty; run 'granary apply' first."
                    : $"Project '{Project}' has no feature view with online: true to materialize (stream feature views take their online values from their events).");
            }

            return plans;
        }

        // Every name is checked before any view is materialized.
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i] ?? throw new GranaryException(ErrorCodes.InvalidArgument, $"feature_views[{i}]: expected a feature view name, got null.");
            var plan = resolution.View(name);
            if (!plan.View.Online)
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, $"Feature view '{name}' has online: false; it is not materialized.");
            }

            if (plan.View.Stream is not null)
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, $"Feature view '{name}' is a stream feature view: its online values are aggregates of its events, not materialized rows. To compute them for a past range, run: granary backfill {name} --start T --end T");
            }

            plans.Add(plan);
        }

        return plans;
    }

    private ValueTask EnsureOnlineInitializedAsync(CancellationToken cancellationToken) => _onlineReady.EnsureAsync(cancellationToken);
}

using System.Globalization;
using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Drift;
using Granary.Quality.Drift;
using Granary.Quality.Profiles;

namespace Granary.Reports;

/// <summary>
/// Gathers a <see cref="MonitoringReport"/> through the store's own operations: the profile of the current period,
/// its drift against the baseline (<see cref="FeatureStore.DriftAsync"/>), the view's freshness and its validation
/// over the current period. Profiles drawn for the report are not stored.
/// </summary>
internal static class MonitoringReportBuilder
{
    /// <summary>The default current period: this many days before the view's newest event.</summary>
    public const int DefaultCurrentDays = 7;

    /// <summary>The default baseline: this many days before the current period.</summary>
    public const int DefaultBaselineDays = 28;

    // The most categories a histogram draws; the rest of each side is left out of the plot (not of the statistics).
    private const int MaxCategoriesDrawn = 20;

    public static async Task<MonitoringReport> BuildAsync(FeatureStore store, ReportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(request);
        var freshness = await store.GetFreshnessAsync(cancellationToken);
        var viewFreshness = freshness.FirstOrDefault(f => f.Name == request.View);
        var now = store.Settings.TimeProvider.GetUtcNow();
        var currentEnd = request.CurrentEnd
            ?? request.CurrentStart?.AddDays(DefaultCurrentDays)
            ?? NextMicrosecond(viewFreshness?.NewestEvent)
            ?? now;
        var currentStart = request.CurrentStart ?? currentEnd.AddDays(-DefaultCurrentDays);
        if (currentEnd <= currentStart)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"The current period must end after it starts; it runs from {Instant(currentStart)} to {Instant(currentEnd)}.");
        }

        var drift = BaselineOf(request, currentStart) with { View = request.View, CurrentStart = currentStart, CurrentEnd = currentEnd };
        var profile = await store.ProfileAsync(request.View, currentStart, currentEnd, save: false, cancellationToken);
        if (profile.Rows == 0)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"Feature view '{request.View}' has no rows with event time from {Instant(currentStart)} to {Instant(currentEnd)} (the current period); give --current-start and --current-end around its data.");
        }

        var baselineProfile = await BaselineProfileAsync(store, drift, cancellationToken);
        var report = await store.DriftAsync(drift, cancellationToken);
        var validation = await store.ValidateAsync(request.View, currentStart, currentEnd, cancellationToken);
        var histograms = new List<FeatureHistogram>(report.Features.Count);
        foreach (var feature in report.Features)
        {
            var current = profile.Features.FirstOrDefault(f => f.Name == feature.Name);
            if (current?.Baseline is not { } currentBaseline)
            {
                continue;
            }

            var before = baselineProfile?.Features.FirstOrDefault(f => f.Name == feature.Name)?.Baseline;
            histograms.Add(feature.IsCategorical ? Categorical(feature.Name, before, currentBaseline) : Numeric(feature.Name, before, currentBaseline));
        }

        return new MonitoringReport(profile.View, now, currentStart, currentEnd, viewFreshness, profile.WithoutBaselines(), report, validation, histograms);
    }

    // Period ends are excluded, so the newest event itself belongs to the period that ends just after it.
    private static DateTimeOffset? NextMicrosecond(DateTimeOffset? time) => time?.AddTicks(TimeSpan.TicksPerMicrosecond);

    private static DriftRequest BaselineOf(ReportRequest request, DateTimeOffset currentStart)
    {
        var given = (request.BaselineStart is not null || request.BaselineEnd is not null ? 1 : 0)
            + (request.BaselineProfile is not null ? 1 : 0) + (request.BaselineDataset is not null ? 1 : 0);
        if (given > 1)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, "A report compares with one baseline: a period (baseline start and end), a stored profile id or a saved dataset name, not several.");
        }

        if (request.BaselineProfile is not null || request.BaselineDataset is not null)
        {
            return new DriftRequest { View = request.View, CurrentStart = currentStart, CurrentEnd = currentStart, BaselineProfile = request.BaselineProfile, BaselineDataset = request.BaselineDataset };
        }

        var end = request.BaselineEnd ?? (request.BaselineStart is { } start ? start.AddDays(DefaultBaselineDays) : currentStart);
        return new DriftRequest
        {
            View = request.View,
            CurrentStart = currentStart,
            CurrentEnd = currentStart,
            BaselineStart = request.BaselineStart ?? end.AddDays(-DefaultBaselineDays),
            BaselineEnd = end,
        };
    }

    // The baseline's distributions to draw: a period's profile, the stored profile itself, or none for a saved dataset.
    private static async Task<ViewProfile?> BaselineProfileAsync(FeatureStore store, DriftRequest drift, CancellationToken cancellationToken)
    {
        if (drift.BaselineStart is { } start && drift.BaselineEnd is { } end)
        {
            if (end <= start)
            {
                throw new GranaryException(ErrorCodes.InvalidArgument, $"The baseline period must end after it starts; it runs from {Instant(start)} to {Instant(end)}.");
            }

            var profile = await store.ProfileAsync(drift.View, start, end, save: false, cancellationToken);
            return profile.Rows > 0
                ? profile
                : throw new GranaryException(ErrorCodes.InvalidArgument, $"Feature view '{drift.View}' has no rows with event time from {Instant(start)} to {Instant(end)} (the baseline period); give --baseline-start and --baseline-end around its data, or --baseline-profile.");
        }

        return drift.BaselineProfile is { } id ? await store.GetProfileAsync(id, cancellationToken) : null;
    }

    internal static FeatureHistogram Numeric(string name, FeatureBaseline? baseline, FeatureBaseline current)
    {
        var reference = baseline is { Sample.Count: > 0 } ? baseline.Sample : current.Sample;
        var sortedReference = reference.ToArray();
        Array.Sort(sortedReference);
        // Equal cut points (ties at a decile) bound bins no value can fall in: drawn once, not as empty bars.
        var cuts = sortedReference.Length == 0 ? [] : DecileBins.CutPoints(sortedReference).Distinct().ToArray();
        var labels = new string[cuts.Length + 1];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = i == 0 ? $"≤ {Number(cuts.Length == 0 ? double.NaN : cuts[0])}"
                : i == labels.Length - 1 ? $"> {Number(cuts[^1])}"
                : $"≤ {Number(cuts[i])}";
        }

        return new FeatureHistogram(
            name,
            cuts.Length == 0 ? [] : labels,
            baseline is { Sample.Count: > 0 } ? Fractions(sortedReference, cuts) : [],
            cuts.Length == 0 ? [] : Fractions(Sorted(current.Sample), cuts));
    }

    private static double[] Sorted(IReadOnlyList<double> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    private static double[] Fractions(double[] sorted, double[] cuts)
    {
        var counts = DecileBins.Count(sorted, cuts);
        var fractions = new double[counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            fractions[i] = sorted.Length == 0 ? 0 : counts[i] / (double)sorted.Length;
        }

        return fractions;
    }

    // Categories by the baseline's frequency (the current period's when there is no baseline), then those new since.
    internal static FeatureHistogram Categorical(string name, FeatureBaseline? baseline, FeatureBaseline current)
    {
        var order = new List<string>();
        foreach (var category in (baseline?.Categories ?? []).Concat(current.Categories))
        {
            if (order.Count < MaxCategoriesDrawn && !order.Contains(category.Value))
            {
                order.Add(category.Value);
            }
        }

        return new FeatureHistogram(name, order, baseline is null ? [] : Shares(baseline.Categories, order), Shares(current.Categories, order));
    }

    private static double[] Shares(IReadOnlyList<CategoryCount> counts, List<string> order)
    {
        long total = 0;
        foreach (var count in counts)
        {
            total += count.Count;
        }

        var shares = new double[order.Count];
        foreach (var count in counts)
        {
            var index = order.IndexOf(count.Value);
            if (index >= 0 && total > 0)
            {
                shares[index] = count.Count / (double)total;
            }
        }

        return shares;
    }

    private static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    internal static string Instant(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

using Granary.Drift;
using Granary.Monitoring;
using Granary.Quality.Profiles;
using Granary.Quality.Rules;

namespace Granary.Reports;

/// <summary>Everything one report page shows of a feature view, gathered by <see cref="MonitoringReportBuilder"/>.</summary>
/// <param name="View">The feature view.</param>
/// <param name="GeneratedAt">When the report was gathered, by the store's clock.</param>
/// <param name="CurrentStart">The current period's first instant.</param>
/// <param name="CurrentEnd">The current period's end, excluded.</param>
/// <param name="Freshness">The view's freshness; null when the registry lists none for it.</param>
/// <param name="Profile">The profile of the current period.</param>
/// <param name="Drift">Current against the baseline, whose description <see cref="DriftReport.Baseline"/> holds.</param>
/// <param name="Validation">The view's rules over the current period.</param>
/// <param name="Histograms">Per drift-checked feature, in the drift report's order.</param>
internal sealed record MonitoringReport(
    string View,
    DateTimeOffset GeneratedAt,
    DateTimeOffset CurrentStart,
    DateTimeOffset CurrentEnd,
    ViewFreshness? Freshness,
    ViewProfile Profile,
    DriftReport Drift,
    ValidationReport Validation,
    IReadOnlyList<FeatureHistogram> Histograms);

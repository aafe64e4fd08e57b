using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;
using Granary.Quality.Drift;

namespace Granary.Drift;

/// <summary>The drift of a view's features between a baseline and the current period, one entry per feature checked.</summary>
/// <param name="View">The feature view.</param>
/// <param name="Baseline">What the baseline was, in words (<c>2026-11-01 00:00:00Z to 2026-11-08 00:00:00Z</c>, <c>profile 0193...</c>, <c>saved dataset train</c>).</param>
/// <param name="Features">Per feature, in the order asked for (schema order by default).</param>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public sealed record DriftReport(string View, string Baseline, IReadOnlyList<FeatureDrift> Features);

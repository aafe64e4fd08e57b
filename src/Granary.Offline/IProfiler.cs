using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;
using Granary.Offline.Retrieval;
using Granary.Quality.Profiles;

namespace Granary.Offline;

/// <summary>
/// The statistics of a view's features over its source rows in a period, computed inside the engine in a few
/// set-based passes (docs/quality.md, "Profiles", says which and how exact each statistic is).
/// </summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public interface IProfiler
{
    /// <summary>One profile per feature of <paramref name="request"/>, in its order.</summary>
    Task<IReadOnlyList<FeatureProfile>> ProfileAsync(ProfileRequest request, CancellationToken cancellationToken = default);
}

using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;
using Granary.Offline.Retrieval;

namespace Granary.Offline;

/// <summary>
/// What drift compares, read inside the engine from a view's source rows in a period (the rows a profile reads): per
/// numeric feature a uniform sample of its non-null values, per categorical feature its count per value
/// (docs/quality.md, "Running a drift check", says how each is drawn).
/// </summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public interface IDriftSampleReader
{
    /// <summary>One sample per feature of <paramref name="request"/>, in its order; the same request and seed give the same sample.</summary>
    Task<IReadOnlyList<DriftSampleValues>> ReadDriftSamplesAsync(DriftSampleRequest request, CancellationToken cancellationToken = default);
}

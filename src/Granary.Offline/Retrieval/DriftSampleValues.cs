using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;
using Granary.Quality.Profiles;

namespace Granary.Offline.Retrieval;

/// <summary>One feature's side of a drift comparison, as an engine read it.</summary>
/// <param name="Name">The feature.</param>
/// <param name="Kind">Numeric features have <paramref name="Values"/>, categorical ones <paramref name="Categories"/>.</param>
/// <param name="NonNull">The non-null values in the period, all of them (not only those sampled).</param>
/// <param name="Values">A uniform sample, without replacement, of up to the request's sample size of the non-null values; empty for a categorical feature.</param>
/// <param name="Categories">
/// The counts of the <see cref="DriftSampling.Categories"/> most frequent values, the rest summed as one
/// <see cref="DriftSampling.OtherCategory"/>; empty for a numeric feature.
/// </param>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public sealed record DriftSampleValues(string Name, ProfileKind Kind, long NonNull, IReadOnlyList<double> Values, IReadOnlyList<CategoryCount> Categories);

using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;
using Granary.Quality.Profiles;

namespace Granary.Offline.Retrieval;

/// <summary>
/// What a drift sample reads: the source rows of one view whose event time is in [<see cref="Start"/>, <see cref="End"/>)
/// (the rows a <see cref="ProfileRequest"/> reads) and the features of <see cref="PointInTimeView.Features"/>, typed by
/// the view's schema.
/// </summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public sealed record DriftSampleRequest(PointInTimeView View, DateTimeOffset Start, DateTimeOffset End, string RepositoryRoot)
{
    /// <summary>The most values a numeric feature's sample holds; a stored profile's sample holds as many.</summary>
    public int SampleSize { get; init; } = ProfileLimits.SampleSize;

    /// <summary>The seed of the sampling: the same rows, size and seed give the same sample.</summary>
    public int Seed { get; init; } = DriftSampling.DefaultSeed;
}

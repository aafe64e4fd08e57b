using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;
using Granary.Quality.Profiles;

namespace Granary.Offline.Retrieval;

/// <summary>The sizes and names drift samples are read with; docs/quality.md ("Running a drift check") describes them.</summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public static class DriftSampling
{
    /// <summary>The seed a sample is drawn with unless the request names another.</summary>
    public const int DefaultSeed = 17;

    /// <summary>The most frequent values of a categorical feature counted one by one (as many as a stored profile keeps).</summary>
    public const int Categories = ProfileLimits.BaselineCategories;

    /// <summary>The category the values beyond the <see cref="Categories"/> most frequent are counted under, together.</summary>
    public const string OtherCategory = "(other)";
}

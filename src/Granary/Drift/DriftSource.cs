using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;

namespace Granary.Drift;

/// <summary>Where the current side of a drift check comes from (<see cref="DriftRequest.CurrentSource"/>).</summary>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public enum DriftSource
{
    /// <summary>The view's source rows whose event time is in the current period (<c>offline</c>, the default).</summary>
    Offline,

    /// <summary>
    /// The values the view served online in the current period, as the serving log kept them (<c>serving</c>): what
    /// the model saw, to compare with what it was trained on.
    /// </summary>
    Serving,
}

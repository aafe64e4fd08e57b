using System.Diagnostics.CodeAnalysis;
using Granary.Core.Providers;
using Granary.Quality.Profiles;

namespace Granary.Registry.Monitoring;

/// <summary>Stored feature profiles, kept in the registry's database beside the catalog (SQLite and PostgreSQL alike).</summary>
/// <remarks>
/// A profile is stored whole, baselines included (what drift compares a later period with), as one row of JSON with
/// its id, view, period and creation time beside it as columns.
/// </remarks>
[Experimental(ProviderDiagnostics.ExperimentalId)]
public interface IProfileStore
{
    /// <summary>Stores <paramref name="profile"/> under its <see cref="ViewProfile.Id"/>; a profile with that id is replaced.</summary>
    Task SaveProfileAsync(string project, ViewProfile profile, CancellationToken cancellationToken = default);

    /// <summary>One stored profile, or null when the project has none with that id.</summary>
    Task<ViewProfile?> GetProfileAsync(string project, string id, CancellationToken cancellationToken = default);

    /// <summary>The stored profiles of <paramref name="view"/>, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ViewProfile>> ListProfilesAsync(string project, string view, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>How many profiles of <paramref name="view"/> are stored.</summary>
    Task<int> CountProfilesAsync(string project, string view, CancellationToken cancellationToken = default);
}

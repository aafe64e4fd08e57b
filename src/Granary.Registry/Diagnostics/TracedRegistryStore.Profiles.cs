using Granary.Quality.Profiles;

namespace Granary.Registry.Diagnostics;

// Stored profiles: spans granary.registry.save_profile, .get_profile, .list_profiles, .count_profiles.
internal sealed partial class TracedRegistryStore
{
    /// <inheritdoc />
    public Task SaveProfileAsync(string project, ViewProfile profile, CancellationToken cancellationToken = default) =>
        Listened
            ? TraceAsync("save_profile", project, async () => { await _inner.SaveProfileAsync(project, profile, cancellationToken).ConfigureAwait(false); return true; })
            : _inner.SaveProfileAsync(project, profile, cancellationToken);

    /// <inheritdoc />
    public Task<ViewProfile?> GetProfileAsync(string project, string id, CancellationToken cancellationToken = default) =>
        Listened ? TraceAsync("get_profile", project, () => _inner.GetProfileAsync(project, id, cancellationToken)) : _inner.GetProfileAsync(project, id, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ViewProfile>> ListProfilesAsync(string project, string view, int limit = 100, CancellationToken cancellationToken = default) =>
        Listened
            ? TraceAsync("list_profiles", project, () => _inner.ListProfilesAsync(project, view, limit, cancellationToken))
            : _inner.ListProfilesAsync(project, view, limit, cancellationToken);

    /// <inheritdoc />
    public Task<int> CountProfilesAsync(string project, string view, CancellationToken cancellationToken = default) =>
        Listened ? TraceAsync("count_profiles", project, () => _inner.CountProfilesAsync(project, view, cancellationToken)) : _inner.CountProfilesAsync(project, view, cancellationToken);
}

using Granary.Contracts.Errors;
using Granary.Core.Errors;
using Granary.Offline;
using Granary.Offline.Retrieval;
using Granary.OnlineServing;
using Granary.Quality.Profiles;
using Granary.Resolution;

namespace Granary;

// Profiles: the statistics of a view's source rows in a period, computed by the offline engine and kept in the registry.
public sealed partial class FeatureStore
{
    /// <summary>The most profiles one list returns.</summary>
    public const int MaxProfilesListed = 1000;

    /// <summary>
    /// Profiles the source rows of <paramref name="view"/> whose event time is in [<paramref name="start"/>,
    /// <paramref name="end"/>) inside the offline engine, stores the profile in the registry under a new id, and
    /// returns it (baselines included). Without <paramref name="start"/> the period begins with the first row; without
    /// <paramref name="end"/> it ends at the store clock's now, the profile's creation time.
    /// </summary>
    /// <exception cref="GranaryException">
    /// <see cref="ErrorCodes.NotFound"/> for a view the registry does not have; <see cref="ErrorCodes.InvalidArgument"/>
    /// for a period that does not start before it ends, a stream feature view, or an engine that cannot profile.
    /// </exception>
    public Task<ViewProfile> ProfileAsync(string view, DateTimeOffset? start = null, DateTimeOffset? end = null, CancellationToken cancellationToken = default) =>
        ProfileAsync(view, start, end, save: true, cancellationToken);

    /// <summary>
    /// Profiles as <see cref="ProfileAsync(string, DateTimeOffset?, DateTimeOffset?, CancellationToken)"/> does, storing
    /// the profile only when <paramref name="save"/>: a report profiles its periods each time it is drawn, and keeping
    /// every one would fill the view's profile list with copies.
    /// </summary>
    internal async Task<ViewProfile> ProfileAsync(string view, DateTimeOffset? start, DateTimeOffset? end, bool save, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(view);
        var profiler = Offline.Require<IProfiler>("profile a feature view's data");
        var createdAt = Microseconds(_options.TimeProvider.GetUtcNow());
        var from = Microseconds(start ?? DateTimeOffset.MinValue);
        var to = Microseconds(end ?? createdAt);
        if (from >= to)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"The period to profile must start before it ends: start {from:O} is not before end {to:O}.");
        }

        var plan = await ProfiledViewAsync(view, cancellationToken);
        var features = new List<string>(plan.Schema.Count);
        foreach (var field in plan.Schema.Features)
        {
            features.Add(field.Name);
        }

        var request = new ProfileRequest(new PointInTimeView(plan.View, plan.RequireSource(), plan.JoinKeys, features), from, to, Config.RepositoryRoot);
        var profiled = await profiler.ProfileAsync(request, cancellationToken);
        var profile = new ViewProfile
        {
            Id = Guid.CreateVersion7(createdAt).ToString("N"),
            View = plan.Label,
            Start = from,
            End = to,
            CreatedAt = createdAt,
            Engine = Offline.Name,
            Rows = profiled.Count == 0 ? 0 : profiled[0].Count,
            Features = profiled,
        };
        if (save)
        {
            await EnsureInitializedAsync(cancellationToken);
            await _store.SaveProfileAsync(Project, profile, cancellationToken);
        }

        return profile;
    }

    /// <summary>The stored profile with <paramref name="id"/> (baselines included), or null when the project has none.</summary>
    public async Task<ViewProfile?> GetProfileAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (RegistryNotCreatedYet)
        {
            return null;
        }

        await EnsureInitializedAsync(cancellationToken);
        return await _store.GetProfileAsync(Project, id, cancellationToken);
    }

    /// <summary>The stored profiles of <paramref name="view"/>, newest first, at most <paramref name="limit"/> (1 to <see cref="MaxProfilesListed"/>).</summary>
    /// <exception cref="GranaryException"><see cref="ErrorCodes.NotFound"/> for a view the registry does not have.</exception>
    public async Task<IReadOnlyList<ViewProfile>> ListProfilesAsync(string view, int limit = 100, CancellationToken cancellationToken = default)
    {
        CheckLimit(limit);
        var label = (await ProfiledViewAsync(view, cancellationToken)).Label;
        await EnsureInitializedAsync(cancellationToken);
        return await _store.ListProfilesAsync(Project, label, limit, cancellationToken);
    }

    /// <summary>How many profiles of <paramref name="view"/> are stored.</summary>
    /// <exception cref="GranaryException"><see cref="ErrorCodes.NotFound"/> for a view the registry does not have.</exception>
    public async Task<int> CountProfilesAsync(string view, CancellationToken cancellationToken = default)
    {
        var label = (await ProfiledViewAsync(view, cancellationToken)).Label;
        await EnsureInitializedAsync(cancellationToken);
        return await _store.CountProfilesAsync(Project, label, cancellationToken);
    }

    private async Task<OnlineViewPlan> ProfiledViewAsync(string view, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(view);
        var plan = RegistryResolution.Of(await GetRegistryAsync(cancellationToken)).View(view);
        if (plan.View.Stream is not null)
        {
            // Its features are aggregated from events when read; its source rows are events, not feature values.
            throw new GranaryException(
                ErrorCodes.InvalidArgument,
                $"Feature view '{view}' is a stream feature view: its features are aggregates computed when read, not columns of source rows to profile.");
        }

        return plan;
    }

    private static void CheckLimit(int limit)
    {
        if (limit is < 1 or > MaxProfilesListed)
        {
            throw new GranaryException(ErrorCodes.InvalidArgument, $"limit: expected 1 to {MaxProfilesListed}, got {limit}.");
        }
    }

    // What the registry keeps (microseconds), so that the profile returned is the one read back.
    private static DateTimeOffset Microseconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
}

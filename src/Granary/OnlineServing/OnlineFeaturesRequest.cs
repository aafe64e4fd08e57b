namespace Granary.OnlineServing;

/// <summary>
/// Features for a few entities, now: as Feast's <c>get_online_features</c>. Entities are given column-major, one
/// list per join key, all of one length (<c>{"user_id": [1, 2, 3]}</c>).
/// </summary>
public sealed record OnlineFeaturesRequest
{
    /// <summary>Feature references (<c>view:feature</c>); or set <see cref="FeatureService"/>.</summary>
    public IReadOnlyList<string> Features { get; init; } = [];

    /// <summary>A feature service whose features to read; or set <see cref="Features"/>.</summary>
    public string? FeatureService { get; init; }

    /// <summary>Join key name → its values, one per entity.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<object?>> Entities { get; init; }

    /// <summary>
    /// Request data for on-demand feature views (Feast's <c>request_context</c>): field name → its values, one per
    /// entity. A field not here is looked for among <see cref="Entities"/>' columns.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<object?>>? RequestContext { get; init; }

    /// <summary>Name feature columns <c>view__feature</c> (<c>view@v2__feature</c> for a version-qualified reference).</summary>
    public bool FullFeatureNames { get; init; }

    /// <summary>
    /// Who is asking, for the warning that a deprecated feature was served (once an hour per caller): the API key when
    /// there is one, else the remote address; the server fills it. Null for an in-process caller.
    /// </summary>
    public string? Caller { get; init; }

    /// <summary>The model the features are for (header <c>X-Granary-Model</c>), recorded as the feature's user; null for the feature service's name.</summary>
    public string? Model { get; init; }

    /// <summary>
    /// An experiment (<c>experiments:</c>) to serve: the unit's variant decides which version of the experiment's view
    /// the unpinned references to it read; the answer says which (<see cref="OnlineFeaturesResponse.Experiment"/>).
    /// </summary>
    public string? Experiment { get; init; }

    /// <summary>The unit assigned a variant of <see cref="Experiment"/> (a user, a session); required with it.</summary>
    public string? UnitId { get; init; }
}

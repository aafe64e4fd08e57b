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

    /// <summary>Name feature columns <c>view__feature</c>.</summary>
    public bool FullFeatureNames { get; init; }

    /// <summary>
    /// The model reading, as usage records name it (HTTP <c>X-Granary-Model</c>, gRPC <c>x-granary-model</c>); null
    /// names the feature service.
    /// </summary>
    public string? Model { get; init; }
}

namespace Granary.Governance;

/// <summary>
/// What a change to a feature affects (<c>GET /api/v1/features/{name}/impact</c>): the feature services that serve
/// it, directly or through features computed from it, and the models its usage records name; each ordered by name.
/// </summary>
public sealed record FeatureImpact(IReadOnlyList<string> FeatureServices, IReadOnlyList<string> Models);

namespace Granary.Contracts.Http.Governance;

/// <summary><c>POST /api/v1/features</c>'s body as read (<see cref="GovernanceRequestJson.ParseCreate"/>); null where not given.</summary>
internal sealed record FeatureCreateBody(string FeatureName)
{
    public string? FeatureType { get; init; }

    public string? DataType { get; init; }

    public string? Description { get; init; }

    public string? Owner { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }

    public TransformationBody? Transformation { get; init; }

    public IReadOnlyList<ValidationRuleBody>? ValidationRules { get; init; }

    public IReadOnlyList<string>? UpstreamFeatures { get; init; }
}

namespace Granary.Contracts.Http.Governance;

/// <summary><c>PUT /api/v1/features/{feature_name}</c>'s body as read; each field null where not given, which leaves it as it is.</summary>
internal sealed record FeatureUpdateBody
{
    public string? Description { get; init; }

    public string? Owner { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }

    public string? FeatureType { get; init; }

    public string? DataType { get; init; }

    public TransformationBody? Transformation { get; init; }

    public IReadOnlyList<ValidationRuleBody>? ValidationRules { get; init; }

    public IReadOnlyList<string>? UpstreamFeatures { get; init; }

    public string? Status { get; init; }
}

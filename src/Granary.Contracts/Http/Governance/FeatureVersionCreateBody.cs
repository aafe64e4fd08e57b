namespace Granary.Contracts.Http.Governance;

/// <summary><c>POST /api/v1/features/{feature_name}/versions</c>'s body as read.</summary>
internal sealed record FeatureVersionCreateBody(string Version)
{
    public string? Changelog { get; init; }

    public IReadOnlyList<string> BreakingChanges { get; init; } = [];

    public TransformationBody? TransformationSnapshot { get; init; }

    public IReadOnlyList<ValidationRuleBody>? ValidationSnapshot { get; init; }
}

namespace Granary.Core.Model;

/// <summary>A named set of features, usually what one model consumes.</summary>
public sealed record FeatureService : Definition
{
    public required IReadOnlyList<FeatureReference> Features { get; init; }

    public override ObjectKind Kind => ObjectKind.FeatureService;
}

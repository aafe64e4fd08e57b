namespace Granary.Core.Model;

/// <summary>A typed column of a feature view's schema.</summary>
public sealed record Field(string Name, FeatureType Type)
{
    private static readonly IReadOnlyList<FieldValidationRule> NoRules = [];
    private static readonly IReadOnlyList<string> NoUpstream = [];

    public string Description { get; init; } = "";

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Who answers for this feature; empty when the definitions do not say.</summary>
    public string Owner { get; init; } = "";

    /// <summary>
    /// The governed category (<c>feature_type</c> in YAML and in the catalog): one of <see cref="FeatureCategories.All"/>;
    /// null when not set.
    /// </summary>
    public string? Category { get; init; }

    /// <summary>How the feature is computed, when the definitions say; a change to it is a breaking change.</summary>
    public FieldTransformation? Transformation { get; init; }

    /// <summary>The data-quality rules declared under the field's <c>validation:</c>, in declaration order.</summary>
    public IReadOnlyList<FieldValidationRule> Validation { get; init; } = NoRules;

    /// <summary>
    /// When this feature's drift counts as low, medium or high (<c>drift:</c> in YAML); null for
    /// <see cref="DriftThresholds.Default"/>.
    /// </summary>
    public DriftThresholds? Drift { get; init; }

    /// <summary>Names of the features this one is computed from (<c>view:feature</c> or catalog names).</summary>
    public IReadOnlyList<string> UpstreamFeatures { get; init; } = NoUpstream;
}

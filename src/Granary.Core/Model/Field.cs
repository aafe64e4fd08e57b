namespace Granary.Core.Model;

/// <summary>A typed column of a feature view's schema.</summary>
public sealed record Field(string Name, FeatureType Type)
{
    public string Description { get; init; } = "";

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

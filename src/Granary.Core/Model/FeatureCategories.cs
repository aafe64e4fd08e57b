namespace Granary.Core.Model;

/// <summary>The governed categories a feature or view may declare as <c>feature_type</c>.</summary>
public static class FeatureCategories
{
    /// <summary>Every category, in the order documentation lists them.</summary>
    public static IReadOnlyList<string> All { get; } =
        ["raw", "derived", "technical_indicator", "fundamental", "sentiment", "macro_economic", "behavioral", "embedding"];

    public static bool IsKnown(string? category) => category is not null && All.Contains(category);
}

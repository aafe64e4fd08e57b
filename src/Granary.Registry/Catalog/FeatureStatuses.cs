namespace Granary.Registry.Catalog;

/// <summary>The wire and storage spelling of <see cref="FeatureStatus"/>: <c>draft</c>, <c>active</c>, <c>deprecated</c>, <c>archived</c>.</summary>
public static class FeatureStatuses
{
    public static string Key(this FeatureStatus status) => status switch
    {
        FeatureStatus.Draft => "draft",
        FeatureStatus.Active => "active",
        FeatureStatus.Deprecated => "deprecated",
        FeatureStatus.Archived => "archived",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static bool TryParse(string? text, out FeatureStatus status)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "draft": status = FeatureStatus.Draft; return true;
            case "active": status = FeatureStatus.Active; return true;
            case "deprecated": status = FeatureStatus.Deprecated; return true;
            case "archived": status = FeatureStatus.Archived; return true;
            default: status = default; return false;
        }
    }
}
